"""Training of hegui's character CNN (hegui.engine.sentiment.charcnn) in plain numpy.

Back-propagation written out for the one architecture: embedding → convolutions of a few
widths → ReLU → max over positions → dropout → one logistic output; Adam, seeded, float32.
Used by scripts/train_sentiment.py and scripts/cv_sentiment.py; never imported at run time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hegui.engine.sentiment.charcnn import PAD, CharCNN, batch_ids

Array = NDArray[np.float32]


def fit_charcnn(
    texts: Sequence[str],
    y: NDArray[np.int64],
    weights: NDArray[np.float64],
    seed: int,
    *,
    dim: int = 32,
    widths: tuple[int, ...] = (2, 3, 4),
    filters: int = 64,
    epochs: int = 5,
    batch: int = 32,
    lr: float = 2e-3,
    dropout: float = 0.5,
    min_count: int = 2,
    max_chars: int = 256,
) -> CharCNN:
    """A char CNN fitted on normalised texts with labels 1 (positive) / 0 (negative)."""
    rng = np.random.default_rng(seed)
    counts = Counter(c for t in texts for c in set(t))
    vocabulary = "".join(sorted(c for c, n in counts.items() if n >= min_count))
    index = {c: i + 2 for i, c in enumerate(vocabulary)}
    ids = batch_ids(index, texts, max_chars)
    lengths = np.array([len(i) for i in ids])
    widest = max(widths)
    f32 = np.float32
    emb: Array = rng.normal(0.0, 0.1, (len(vocabulary) + 2, dim)).astype(f32)
    emb[PAD] = 0.0
    convs: list[Array] = [
        rng.normal(0.0, np.sqrt(2.0 / (w * dim)), (w * dim, filters)).astype(f32) for w in widths
    ]
    biases: list[Array] = [np.zeros(filters, f32) for _ in widths]
    total = filters * len(widths)
    out: Array = rng.normal(0.0, np.sqrt(1.0 / total), total).astype(f32)
    out_bias: Array = np.zeros(1, f32)
    params = [emb, *convs, *biases, out, out_bias]  # updated in place
    m1 = [np.zeros_like(p) for p in params]
    m2 = [np.zeros_like(p) for p in params]
    step = 0
    b1, b2, eps = 0.9, 0.999, 1e-8
    keep = [i for i in range(len(texts)) if lengths[i] > 0]
    for _ in range(epochs):
        order = rng.permutation(keep)
        batches: list[NDArray[np.int64]] = []
        chunk = batch * 50  # similar lengths share a batch (less padding)
        for s in range(0, len(order), chunk):
            part = order[s : s + chunk]
            part = part[np.argsort(lengths[part], kind="stable")]
            batches += [part[j : j + batch] for j in range(0, len(part), batch)]
        for k in rng.permutation(len(batches)):
            rows = batches[k]
            n = len(rows)
            lens = lengths[rows]
            size = max(int(lens.max()), widest)
            x = np.zeros((n, size), np.int64)
            for r, i in enumerate(rows):
                x[r, : lens[r]] = ids[i]
            e = emb[x]
            pooled, cache = [], []
            for w, conv, bias in zip(widths, convs, biases, strict=True):
                p = size - w + 1
                cols = np.concatenate([e[:, j : j + p] for j in range(w)], axis=2)
                h = cols @ conv + bias
                valid = np.arange(p)[None, :] < np.maximum(lens - w + 1, 1)[:, None]
                h = np.where(valid[..., None], h, -np.inf)
                top = h.argmax(axis=1)
                peak = np.take_along_axis(h, top[:, None, :], 1)[:, 0, :]
                pooled.append(np.maximum(peak, 0.0))
                cache.append((cols, top, peak > 0))
            hid = np.concatenate(pooled, axis=1)
            mask = ((rng.random(hid.shape) >= dropout) / (1.0 - dropout)).astype(np.float32)
            hd = hid * mask
            z = hd @ out + out_bias[0]
            prob = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
            wt = weights[rows]
            g = ((prob - y[rows]) * wt / wt.sum()).astype(np.float32)
            d_out, d_out_bias = hd.T @ g, np.array([g.sum()], np.float32)
            dh = np.outer(g, out) * mask
            de = np.zeros_like(e)
            d_convs, d_biases = [], []
            at = np.arange(n)[:, None]
            for c, (w, conv) in enumerate(zip(widths, convs, strict=True)):
                cols, top, active = cache[c]
                gf = dh[:, c * filters : (c + 1) * filters] * active
                sel = cols[at, top]  # (n, filters, w·dim): the winning windows
                d_convs.append(np.einsum("bfk,bf->kf", sel, gf))
                d_biases.append(gf.sum(axis=0))
                dsel = gf[..., None] * conv.T[None]
                for j in range(w):
                    np.add.at(de, (at, top + j), dsel[..., j * dim : (j + 1) * dim])
            d_emb = np.zeros_like(emb)
            np.add.at(d_emb, x, de)
            d_emb[PAD] = 0.0
            grads: list[NDArray[np.floating[Any]]] = [d_emb, *d_convs, *d_biases, d_out, d_out_bias]
            step += 1
            for param, gr, a, v in zip(params, grads, m1, m2, strict=True):
                a *= b1
                a += (1 - b1) * gr
                v *= b2
                v += (1 - b2) * gr * gr
                param -= lr * (a / (1 - b1**step)) / (np.sqrt(v / (1 - b2**step)) + eps)
    return CharCNN(
        vocabulary,
        emb.astype(np.float32),
        widths,
        tuple(c.astype(np.float32) for c in convs),
        tuple(b.astype(np.float32) for b in biases),
        out.astype(np.float32),
        float(out_bias[0]),
        max_chars,
        {"seed": seed, "epochs": epochs, "dropout": dropout},
    )
