"""A small transformer-style classifier head with an _init_weights method applied through self.apply,
in the style of Hugging Face models and the PyTorch tutorials: Linear weights drawn from N(0, 0.02),
biases zeroed, embeddings N(0, 0.02), LayerNorm reset to identity.

Run:  python pytorch_init_weights.py   (random data: no download)
"""
import torch
from torch import nn


class TextClassifier(nn.Module):
    def __init__(self, vocab_size=30522, hidden_size=256, intermediate_size=1024, num_labels=2, dropout=0.1):
        super().__init__()
        self.embeddings = nn.Embedding(vocab_size, hidden_size)
        self.norm = nn.LayerNorm(hidden_size)
        self.ffn = nn.Sequential(
            nn.Linear(hidden_size, intermediate_size),
            nn.GELU(),
            nn.Linear(intermediate_size, hidden_size),
        )
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(hidden_size, num_labels)
        self.apply(self._init_weights)

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        elif isinstance(module, nn.LayerNorm):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)

    def forward(self, input_ids):
        hidden = self.norm(self.embeddings(input_ids))
        hidden = hidden + self.dropout(self.ffn(hidden))
        return self.classifier(hidden.mean(dim=1))


if __name__ == "__main__":
    model = TextClassifier()
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4)
    input_ids = torch.randint(0, 30522, (8, 64))
    labels = torch.randint(0, 2, (8,))
    for step in range(10):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(input_ids), labels)
        loss.backward()
        optimizer.step()
        print(f"step {step}: loss {loss.item():.4f}")
