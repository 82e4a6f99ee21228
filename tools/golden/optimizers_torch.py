"""Golden values for tests/OrtGmt.Tests/Optimizers/TorchGoldenTests.cs: torch.optim.AdamW and SGD on a 7-entry tensor.

Run with Debian's interpreter (torch 1.13): /usr/bin/python3 tools/golden/optimizers_torch.py
"""
import torch
torch.manual_seed(0)
p0 = torch.tensor([0.5, -1.25, 3.0, 0.0, 1e-3, -2.0, 0.75])
grads = [torch.tensor([0.1, -0.2, 0.0, 1.5, -1e-4, 0.3, -0.05]),
         torch.tensor([-0.3, 0.25, 0.5, -0.5, 2e-4, 0.0, 0.05]),
         torch.tensor([0.05, 0.05, -1.0, 0.2, -3e-4, 0.1, 0.0])]
lrs=[1e-2, 5e-3, 2e-3]
def run(opt_ctor):
    p = torch.nn.Parameter(p0.clone())
    opt = opt_ctor([p])
    for g, lr in zip(grads, lrs):
        for gr in opt.param_groups: gr['lr']=lr
        p.grad = g.clone()
        opt.step()
    return p.detach()
a = run(lambda ps: torch.optim.AdamW(ps, lr=1e-2, weight_decay=0.1))
s = run(lambda ps: torch.optim.SGD(ps, lr=1e-2, momentum=0.9, weight_decay=0.1))
fmt=lambda t: ", ".join("%.9gf" % x for x in t.tolist())
print("adamw", fmt(a)); print("sgd", fmt(s))
