"""DDAMNet (DDAMFN++/networks/DDAM.py + MixedFeatureNet.py) in PyTorch, written from
../shared/docs/ddamfn.md with the authors' module names, so state_dict keys match their checkpoints.

The authors' code is not available here; `train_bench.py --verify` proves this port against the
ddamfn_step fixture (logits and losses of a train-mode forward from the same init)."""
import sys

import torch
from torch import nn

NUM_HEAD = 2


class ConvBlock(nn.Module):
    """Conv_block: conv (no bias) -> BN -> PReLU."""

    def __init__(self, cin, cout, k=1, s=1, p=0, groups=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, s, p, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.prelu = nn.PReLU(cout)

    def forward(self, x):
        return self.prelu(self.bn(self.conv(x)))


class LinearBlock(nn.Module):
    """Linear_block: conv (no bias) -> BN, no activation."""

    def __init__(self, cin, cout, k=1, s=1, p=0, groups=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, s, p, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return self.bn(self.conv(x))


class HSwish(nn.Module):
    def forward(self, x):
        return x * nn.functional.relu6(x + 3) / 6


class BackboneCoordAtt(nn.Module):
    """Coordinate attention of the backbone (ddamfn.md 1.1): average pooling along W and H."""

    def __init__(self, inp, oup):
        super().__init__()
        mip = max(8, inp // 32)
        self.conv1 = nn.Conv2d(inp, mip, 1)
        self.bn1 = nn.BatchNorm2d(mip)
        self.act = HSwish()
        self.conv2 = nn.Conv2d(mip, oup, 1)
        self.conv3 = nn.Conv2d(mip, oup, 1)

    def forward(self, x):
        h, w = x.shape[2], x.shape[3]
        x_h = x.mean(dim=3, keepdim=True)
        x_w = x.mean(dim=2, keepdim=True).permute(0, 1, 3, 2)
        y = self.act(self.bn1(self.conv1(torch.cat([x_h, x_w], dim=2))))
        a_h, a_w = torch.split(y, [h, w], dim=2)
        a_h = torch.sigmoid(self.conv2(a_h))
        a_w = torch.sigmoid(self.conv3(a_w.permute(0, 1, 3, 2)))
        return x * a_w * a_h


class MDConv(nn.Module):
    """Mixed depthwise conv; its bn and prelu exist in the state_dict but forward() skips them (1.2)."""

    def __init__(self, channels, kernels, splits, stride):
        super().__init__()
        self.splits = splits
        self.mixed_depthwise_conv = nn.ModuleList(
            nn.Conv2d(s, s, k, stride, k // 2, groups=s, bias=False) for k, s in zip(kernels, splits))
        self.bn = nn.BatchNorm2d(channels)
        self.prelu = nn.PReLU(channels)

    def forward(self, x):
        chunks = torch.split(x, self.splits, dim=1)
        return torch.cat([conv(c) for conv, c in zip(self.mixed_depthwise_conv, chunks)], dim=1)


class MixDepthWise(nn.Module):
    def __init__(self, cin, cout, residual, stride, groups, kernels, splits):
        super().__init__()
        self.conv = ConvBlock(cin, groups)
        self.conv_dw = MDConv(groups, kernels, splits, stride)
        self.CA = BackboneCoordAtt(groups, groups)
        self.project = LinearBlock(groups, cout)
        self.residual = residual

    def forward(self, x):
        t = self.project(self.CA(self.conv_dw(self.conv(x))))
        return x + t if self.residual else t


class MixResidual(nn.Module):
    def __init__(self, c, blocks, groups, kernels, splits):
        super().__init__()
        self.model = nn.Sequential(*[MixDepthWise(c, c, True, 1, groups, kernels, splits) for _ in range(blocks)])

    def forward(self, x):
        return self.model(x)


def features():
    """MixedFeatureNet children 0..8 (ddamfn.md section 2), as DDAMNet's `features`."""
    return nn.Sequential(
        ConvBlock(3, 64, 3, 2, 1),
        ConvBlock(64, 64, 3, 1, 1, groups=64),
        MixDepthWise(64, 64, False, 2, 128, [3, 5, 7], [64, 32, 32]),
        MixResidual(64, 9, 128, [3, 5], [96, 32]),
        MixDepthWise(64, 128, False, 2, 256, [3, 5, 7], [128, 64, 64]),
        MixResidual(128, 16, 256, [3, 5], [192, 64]),
        MixDepthWise(128, 256, False, 2, 1024, [3, 5, 7, 9], [256, 256, 256, 256]),
        MixResidual(256, 6, 512, [3, 5, 7], [172, 170, 170]),
        ConvBlock(256, 512, 1, 1, 0),
    )


class DualDirectionAtt(nn.Module):
    """DDAM.py CoordAtt (3.1): learned 1x7 / 7x1 depthwise pooling; returns the map a_w * a_h, not x times it."""

    def __init__(self, c=512):
        super().__init__()
        mip = max(8, c // 32)
        self.Linear_h = LinearBlock(c, c, (1, 7), groups=c)
        self.Linear_w = LinearBlock(c, c, (7, 1), groups=c)
        self.conv1 = nn.Conv2d(c, mip, 1)
        self.bn1 = nn.BatchNorm2d(mip)
        self.relu = HSwish()
        self.conv2 = nn.Conv2d(mip, c, 1)
        self.conv3 = nn.Conv2d(mip, c, 1)
        self.Linear = LinearBlock(c, c, 7, groups=c)  # in the state_dict, never run
        self.flatten = nn.Flatten()

    def forward(self, x):
        h, w = x.shape[2], x.shape[3]
        x_h = self.Linear_h(x)
        x_w = self.Linear_w(x).permute(0, 1, 3, 2)
        y = self.relu(self.bn1(self.conv1(torch.cat([x_h, x_w], dim=2))))
        a_h, a_w = torch.split(y, [h, w], dim=2)
        a_h = torch.sigmoid(self.conv2(a_h))
        a_w = torch.sigmoid(self.conv3(a_w.permute(0, 1, 3, 2)))
        return a_w.expand(-1, -1, h, w) * a_h.expand(-1, -1, h, w)


class CoordAttHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.CoordAtt = DualDirectionAtt()

    def forward(self, x):
        return self.CoordAtt(x)


class DDAMNet(nn.Module):
    """forward returns (logits, feature map, per-head attention maps) as the authors' model does."""

    def __init__(self, num_class=8, num_head=NUM_HEAD):
        super().__init__()
        self.features = features()
        self.num_head = num_head
        for i in range(num_head):
            setattr(self, "cat_head%d" % i, CoordAttHead())
        self.Linear = LinearBlock(512, 512, 7, groups=512)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(512, num_class)
        self.bn = nn.BatchNorm1d(num_class)  # in the state_dict, never run

    def forward(self, x):
        x = self.features(x)
        heads = [getattr(self, "cat_head%d" % i)(x) for i in range(self.num_head)]
        y = heads[0]
        for h in heads[1:]:
            y = torch.max(y, h)
        y = self.flatten(self.Linear(x * y))
        return self.fc(y), x, heads


def attention_loss(heads):
    """cnt / (sum over pairs of MSE + float64 epsilon); 0 for one head (ddamfn.md section 6)."""
    if len(heads) < 2:
        return torch.zeros(())
    total, cnt = 0, 0
    for i in range(len(heads)):
        for j in range(i + 1, len(heads)):
            total = total + nn.functional.mse_loss(heads[i], heads[j])
            cnt += 1
    return cnt / (total + sys.float_info.epsilon)


def fine_tune_loss(logits, heads, labels):
    """The authors' training loss: CE + 0.1 * attention diversity. Returns (loss, ce, att)."""
    ce = nn.functional.cross_entropy(logits, labels)
    att = attention_loss(heads)
    return ce + 0.1 * att, ce, att
