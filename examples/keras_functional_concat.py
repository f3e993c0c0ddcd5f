"""A functional-API model with two inputs merged by Concatenate, in the style of the Keras guide
"The Functional API" (multi-input models): a title embedding and tabular features joined before the head.
"""
from tensorflow import keras
from tensorflow.keras import layers

num_words = 10000
num_features = 32
num_departments = 4

title_input = keras.Input(shape=(None,), name="title")
features_input = keras.Input(shape=(num_features,), name="features")

x = layers.Embedding(num_words, 64)(title_input)
x = layers.GlobalAveragePooling1D()(x)
y = layers.Dense(64, activation="relu", kernel_initializer="he_normal")(features_input)
y = layers.Dense(64, activation="relu", kernel_initializer="he_normal")(y)

merged = layers.Concatenate()([x, y])
hidden = layers.Dense(32, activation="relu")(merged)
department = layers.Dense(num_departments, activation="softmax", name="department")(hidden)

model = keras.Model(inputs=[title_input, features_input], outputs=department)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.summary()
