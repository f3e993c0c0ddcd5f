"""The seed article's model: a small MLP on MNIST, every Dense layer initialised with Glorot (Xavier) uniform.

Run with TensorFlow 2.x installed:  python seed_keras_mlp.py
"""
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

# 28x28 grey-scale digits, scaled to [0, 1].
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0

model = keras.Sequential([
    layers.Flatten(input_shape=(28, 28)),
    layers.Dense(128, activation='relu', kernel_initializer='glorot_uniform'),
    layers.Dense(64, activation='relu', kernel_initializer='glorot_uniform'),
    layers.Dense(10, activation='softmax', kernel_initializer='glorot_uniform'),
])

model.compile(
    optimizer=keras.optimizers.Adam(),
    loss='sparse_categorical_crossentropy',
    metrics=['accuracy'],
)
model.summary()

model.fit(x_train, y_train, epochs=10, validation_split=0.1)
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=2)
print(f'test accuracy: {test_accuracy:.4f}')
