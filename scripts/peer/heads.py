"""The temporal heads and their losses, as ../shared/fixtures/training/README.md "Definitions"."""
import torch
from torch import nn

EMBEDDING = 512
OUTPUTS = {"va": 2, "expr": 8, "au": 12}


class Head(nn.Module):
    """FC head: fc 512->512 per frame, ReLU, task layer. LSTM head: LSTM 512->128 from zero state first,
    fc 128->512. Returns the task layer's output as (B*T, n) rows, row = b*T + t."""

    def __init__(self, kind, task):
        super().__init__()
        self.task = task
        if kind == "lstm":
            self.lstm = nn.LSTM(EMBEDDING, 128, batch_first=True)
            self.fc = nn.Linear(128, 512)
        elif kind == "fc":
            self.lstm = None
            self.fc = nn.Linear(EMBEDDING, 512)
        else:
            raise ValueError("unknown head kind %r" % kind)
        setattr(self, task, nn.Linear(512, OUTPUTS[task]))

    def forward(self, x):
        if self.lstm is not None:
            x, _ = self.lstm(x)
        y = getattr(self, self.task)(torch.relu(self.fc(x)))
        return y.reshape(-1, OUTPUTS[self.task])


def ccc(p, t):
    """Concordance correlation with population moments, no epsilon."""
    mp, mt = p.mean(), t.mean()
    cov = ((p - mp) * (t - mt)).mean()
    return 2 * cov / (p.var(unbiased=False) + t.var(unbiased=False) + (mp - mt) ** 2)


def loss(task, raw, target):
    """VA: 1 - mean CCC of tanh(raw); EXPR: CE on logits; AU: BCE with logits."""
    if task == "va":
        p = torch.tanh(raw)
        return 1 - (ccc(p[:, 0], target[:, 0]) + ccc(p[:, 1], target[:, 1])) / 2
    if task == "expr":
        return nn.functional.cross_entropy(raw, target)
    return nn.functional.binary_cross_entropy_with_logits(raw, target)


def random_targets(task, frames, generator):
    if task == "va":
        return torch.rand(frames, 2, generator=generator) * 2 - 1
    if task == "expr":
        return torch.randint(0, 8, (frames,), generator=generator)
    return (torch.rand(frames, 12, generator=generator) < 0.3).float()
