"""A text classifier with Embedding, a bidirectional-free LSTM stack and a GRU, in the style of the Keras
IMDB examples. LSTM and GRU kernels default to glorot_uniform, recurrent kernels to orthogonal.
"""
import tensorflow as tf
from tensorflow.keras import layers

max_features = 20000  # only consider the top 20k words
maxlen = 200  # only consider the first 200 words of each review
embed_dim = 128

model = tf.keras.Sequential()
model.add(layers.Embedding(max_features, embed_dim, input_length=maxlen))
model.add(layers.LSTM(64, return_sequences=True))
model.add(layers.Dropout(0.2))
model.add(layers.GRU(32))
model.add(layers.Dense(1, activation="sigmoid"))
model.build(input_shape=(None, maxlen))
model.summary()

(x_train, y_train), (x_val, y_val) = tf.keras.datasets.imdb.load_data(num_words=max_features)
x_train = tf.keras.utils.pad_sequences(x_train, maxlen=maxlen)
x_val = tf.keras.utils.pad_sequences(x_val, maxlen=maxlen)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=32, epochs=2, validation_data=(x_val, y_val))
