"""A deep tanh MLP initialised with a small fixed-scale normal (stddev=0.01), as in the experiments of
Glorot & Bengio (2010): with 8 hidden layers the activations shrink layer after layer and the gradients
vanish. Xavier initialisation (glorot_uniform / glorot_normal) keeps the variance roughly constant.
"""
from tensorflow import keras
from tensorflow.keras import initializers, layers

depth = 8
width = 256
small_normal = initializers.RandomNormal(mean=0.0, stddev=0.01)

model = keras.Sequential(name="deep_tanh")
model.add(keras.Input(shape=(28 * 28,)))
for _ in range(depth):
    model.add(layers.Dense(width, activation="tanh", kernel_initializer=small_normal))
model.add(layers.Dense(10, activation="softmax", kernel_initializer=initializers.RandomNormal(stddev=0.01)))

model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

(x_train, y_train), _ = keras.datasets.mnist.load_data()
model.fit(x_train.reshape(-1, 28 * 28) / 255.0, y_train, epochs=5, batch_size=64)
