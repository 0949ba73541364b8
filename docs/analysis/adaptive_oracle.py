"""How well could an IRT-read adaptive session do? A numpy analysis behind README's "What the data allow".

Per scenario, a unidimensional 2PL is fitted by marginal maximum likelihood (Bock-Aitkin EM, 61 quadrature points)
on the models' full rows; a model's score is read as tinyBenchmarks' p-IRT reading does: its answers on the asked
items plus P_j(theta) on the others, theta the EAP from the asked answers. Three designs, each model's error taken
against its true score (the mean over every item), overall as the mean over scenarios like the service:

  floor  the `adaptive` most informative items at the theta of the model's *full* row, read at that theta:
         what the IRT model's prediction of the unasked items misses even when the ability is known;
  cat    an adaptive session: batches of 10 items of highest information at the current EAP;
  fixed  a random subset of `fixed` items, the same for every model (mean over 5 draws), read the same way.

--in-sample fits the items on every model, the held-out one included (an oracle: the item curves have seen its
answers); otherwise 5-fold over models, items fitted on the other four folds (what a new model meets).
No service classes: it bounds the IRT reading that the service's sessions use, it does not check them.

Usage: python3 docs/analysis/adaptive_oracle.py [--in-sample] ../shared/data/wmdp[:50:100] ...
"""
import csv
import sys

import numpy as np

Q = np.linspace(-6, 6, 61)
LOG_PRIOR = -Q * Q / 2


def em2pl(y, iters=64):
    """2PL marginal ML by EM; y is models x items in [0, 1]. Returns slopes a and intercepts d (logit a theta + d)."""
    a = np.ones(y.shape[1])
    d = np.zeros(y.shape[1])
    for _ in range(iters):
        z = np.outer(Q, a) + d
        log_p, log_q = -np.logaddexp(0, -z), -np.logaddexp(0, z)
        log_like = y @ (log_p - log_q).T + log_q.sum(1) + LOG_PRIOR
        w = np.exp(log_like - log_like.max(1, keepdims=True))
        w /= w.sum(1, keepdims=True)
        n, r = w.sum(0), y.T @ w
        for _ in range(2):  # Newton steps on (a, d), every item at once
            p = 1 / (1 + np.exp(-(np.outer(a, Q) + d[:, None])))
            g, h = r - n * p, n * p * (1 - p)
            ga, gd = (g * Q).sum(1), g.sum(1)
            haa, had, hdd = (h * Q * Q).sum(1) + 1e-6, (h * Q).sum(1), h.sum(1) + 1e-6
            det = haa * hdd - had * had
            a = np.clip(a + (hdd * ga - had * gd) / det, -10, 10)
            d = np.clip(d + (haa * gd - had * ga) / det, -20, 20)
    return a, d


def eap(y, asked, a, d):
    z = np.outer(Q, a[asked]) + d[asked]
    log_like = (y[asked] * -np.logaddexp(0, -z) + (1 - y[asked]) * -np.logaddexp(0, z)).sum(1) + LOG_PRIOR
    w = np.exp(log_like - log_like.max())
    return (w * Q).sum() / w.sum()


def read(y, asked, theta, a, d):
    p = 1 / (1 + np.exp(-(a * theta + d)))
    return (y[asked].sum() + p[~asked].sum()) / len(y)


def most_informative(theta, a, d, excluded, count):
    p = 1 / (1 + np.exp(-(a * theta + d)))
    info = a * a * p * (1 - p)
    info[excluded] = -np.inf
    return np.argsort(-info)[:count]


def load(folder, max_models=400):
    rows = list(csv.reader(open(f"{folder}/matrix.csv")))
    names = rows[0][1:]
    x = np.array([[float(v) if v not in ("", "NA", "nan") else np.nan for v in r[1:]] for r in rows[1:]])
    complete = ~np.isnan(x).any(0)
    x, names = x[:, complete], [n for n, keep in zip(names, complete) if keep]
    if len(x) > max_models:
        x = x[np.random.default_rng(0).choice(len(x), max_models, replace=False)]
    scenario = {r["item_id"]: r["scenario"] for r in csv.DictReader(open(f"{folder}/items.csv"))}
    return x, [scenario[n] for n in names]


def analyse(folder, adaptive=50, fixed=100, in_sample=False, folds=5, draws=5, batch=10):
    x, scenario_of = load(folder)
    models = len(x)
    fold = np.zeros(models, int) if in_sample else np.random.default_rng(7).permutation(models) % folds
    scenarios = sorted(set(scenario_of))
    estimates = {k: np.zeros((len(scenarios), models)) for k in ("floor", "cat")}
    fixed_estimates = np.zeros((draws, len(scenarios), models))
    truths = np.zeros((len(scenarios), models))
    rng = np.random.default_rng(1)
    for s, name in enumerate(scenarios):
        y_all = x[:, [j for j, sc in enumerate(scenario_of) if sc == name]]
        items = y_all.shape[1]
        truths[s] = y_all.mean(1)
        params = [em2pl(y_all if in_sample else y_all[fold != f]) for f in range(fold.max() + 1)]
        subsets = [rng.choice(items, min(fixed, items), replace=False) for _ in range(draws)]
        for m in range(models):
            y, (a, d) = y_all[m], params[fold[m]]
            theta = eap(y, np.ones(items, bool), a, d)
            asked = np.zeros(items, bool)
            asked[most_informative(theta, a, d, asked, adaptive)] = True
            estimates["floor"][s, m] = read(y, asked, theta, a, d)
            asked, theta = np.zeros(items, bool), 0.0
            while asked.sum() < min(adaptive, items):
                asked[most_informative(theta, a, d, asked, min(batch, adaptive - asked.sum()))] = True
                theta = eap(y, asked, a, d)
            estimates["cat"][s, m] = read(y, asked, theta, a, d)
            for t, subset in enumerate(subsets):
                asked = np.zeros(items, bool)
                asked[subset] = True
                fixed_estimates[t, s, m] = read(y, asked, eap(y, asked, a, d), a, d)
    overall = truths.mean(0)
    result = {k: np.abs(e.mean(0) - overall).mean() for k, e in estimates.items()}
    result["fixed"] = np.mean([np.abs(e.mean(0) - overall).mean() for e in fixed_estimates])
    return result


if __name__ == "__main__":
    in_sample = "--in-sample" in sys.argv
    for arg in (a for a in sys.argv[1:] if not a.startswith("--")):
        folder, adaptive, fixed = (arg.split(":") + ["50", "100"])[:3]
        r = analyse(folder, int(adaptive), int(fixed), in_sample)
        print(f"{folder.rstrip('/').split('/')[-1]} ({'in-sample' if in_sample else '5-fold'}, {adaptive} adaptive, "
              f"{fixed} fixed): " + ", ".join(f"{k} {v:.4f}" for k, v in r.items()), flush=True)
