"""Itembank's Python client: one module, the standard library only.

Talks to a running Itembank service over its REST API::

    from itembank_client import Client
    client = Client("http://localhost:8080", key="ib_...")        # or Client() with ITEMBANK_URL / ITEMBANK_KEY
    version = client.import_lm_eval("mmlu", "out/")                  # an lm_eval --output_path folder, all models
    job = client.calibrate("mmlu"); client.wait_job(job["job"])
    job = client.select("mmlu", items_per_scenario=100); subset_id = client.wait_job(job["job"])["result"].rsplit("/", 1)[1]
    samples = client.subset(subset_id, lm_eval=True)                 # {"<task>": [doc ids]} for lm_eval --samples
    estimate = client.estimate(subset_id, lm_eval_dir="subset-run/")  # the subset run's folder
    client.estimate_frame(estimate)                                  # a pandas DataFrame, when pandas is installed

Every method returns what the REST API answers, as plain dicts and lists. A response that is not 2xx raises
:class:`ItembankError` carrying the RFC 9457 problem.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Union

__all__ = ["Client", "ItembankError", "archive_lm_eval_folder"]

Json = Dict[str, Any]


class ItembankError(Exception):
    """A response that was not 2xx: ``status`` and the problem document (``title``, ``detail``, ...)."""

    def __init__(self, status: int, problem: Json):
        self.status = status
        self.problem = problem
        super().__init__(f"{status} {problem.get('title', '')}: {problem.get('detail', '')}".strip())


def archive_lm_eval_folder(folder: Union[str, Path]) -> bytes:
    """The results_*.json and samples_*.jsonl files under ``folder`` as a .tar.gz, paths relative to it."""
    root = Path(folder)
    if not root.is_dir():
        raise ValueError(f"{root} is not a directory")
    files = sorted(p for p in root.rglob("*") if p.is_file() and (
        (p.name.startswith("results_") and p.name.endswith(".json"))
        or (p.name.startswith("samples_") and p.name.endswith(".jsonl"))))
    if not files:
        raise ValueError(f"{root} holds no lm-eval results_*.json or samples_*.jsonl files "
                         "(run lm_eval with --output_path and --log_samples)")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path in files:
            tar.add(str(path), arcname=path.relative_to(root).as_posix())
    return buffer.getvalue()


class Client:
    """A client of one Itembank service.

    :param url: the service's base URL (default ``$ITEMBANK_URL``, else http://localhost:8080)
    :param key: an API key (default ``$ITEMBANK_KEY``)
    :param timeout: seconds to wait for one response
    """

    def __init__(self, url: Optional[str] = None, key: Optional[str] = None, timeout: float = 600.0):
        self.url = (url or os.environ.get("ITEMBANK_URL") or "http://localhost:8080").rstrip("/")
        self.key = key if key is not None else os.environ.get("ITEMBANK_KEY")
        self.timeout = timeout

    # -- the verbs ---------------------------------------------------------------------------------------------

    def import_lm_eval(self, benchmark: str, folder: Union[str, Path], *, mode: str = "merge",
                       model: Optional[str] = None, filter: Optional[str] = None, metric: Optional[str] = None,
                       create: bool = False) -> Json:
        """Imports an lm-eval output folder (every model's results and samples files) as one new version.

        ``mode="merge"`` keeps a present model's other items; ``"replace"`` replaces its rows whole. With
        ``create=True`` the benchmark is created first when it does not exist.
        """
        if create:
            try:
                self._request("GET", f"/api/v1/benchmarks/{_quote(benchmark)}")
            except ItembankError as error:
                if error.status != 404:
                    raise
                self._request("POST", "/api/v1/benchmarks", json.dumps({"name": benchmark}).encode(),
                              "application/json")
        query = _query(mode=mode, model=model, filter=filter, metric=metric)
        return self._request("POST", f"/api/v1/benchmarks/{_quote(benchmark)}/results{query}",
                             archive_lm_eval_folder(folder), "application/gzip")

    def subset(self, subset_id: str, *, lm_eval: bool = False) -> Json:
        """A subset (items, weights, backtest), or with ``lm_eval=True`` its ``{"<task>": [doc ids]}``."""
        query = "?format=lm-eval" if lm_eval else ""
        return self._request("GET", f"/api/v1/subsets/{_quote(subset_id)}{query}")

    def lm_eval_command(self, subset_id: str, model: Optional[str] = None) -> str:
        """A ready ``lm_eval`` command line that runs the subset."""
        query = _query(format="lm-eval-command", model=model)
        return self._request("GET", f"/api/v1/subsets/{_quote(subset_id)}{query}", accept="text/plain")

    def estimate(self, subset_id: str, *, lm_eval_dir: Union[str, Path, None] = None,
                 responses: Optional[Mapping[str, Optional[float]]] = None, model: Optional[str] = None,
                 level: float = 0.9, filter: Optional[str] = None) -> Json:
        """A model's estimated full scores from its subset answers.

        Either ``lm_eval_dir``, the folder of an lm-eval run of the subset (``model`` only when it holds no
        results file), or ``responses`` ({item id: 0/1/score/None}) with ``model``.
        """
        if (lm_eval_dir is None) == (responses is None):
            raise ValueError("give either lm_eval_dir or responses")
        path = f"/api/v1/subsets/{_quote(subset_id)}/estimates"
        if lm_eval_dir is not None:
            return self._request("POST", path + _query(level=level, model=model, filter=filter),
                                 archive_lm_eval_folder(lm_eval_dir), "application/gzip")
        if not model:
            raise ValueError("responses need the model's name")
        body = json.dumps({"model": model, "responses": dict(responses)}).encode()
        return self._request("POST", path + _query(level=level), body, "application/json")

    def job(self, job_id: str) -> Json:
        """A job: its state, progress, result and error."""
        return self._request("GET", _job_path(job_id))

    def wait_job(self, job_id: str, *, timeout: float = 7200.0, poll: float = 0.5,
                 progress: Optional[Callable[[Json], None]] = None) -> Json:
        """Waits until a job ends and returns it; raises :class:`ItembankError` when it failed or was cancelled.

        ``progress`` is called with the job at each poll (for a progress bar).
        """
        deadline = time.monotonic() + timeout
        while True:
            job = self.job(job_id)
            if progress is not None:
                progress(job)
            if job.get("state") == "succeeded":
                return job
            if job.get("state") in ("failed", "cancelled"):
                raise ItembankError(409, {"title": f"job {job.get('state')}", "detail": json.dumps(job.get("error")),
                                          "job": job})
            if time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id} still {job.get('state')} after {timeout} s")
            time.sleep(poll)

    def calibrate(self, benchmark: str, **spec: Any) -> Json:
        """Queues a calibration (fields as the REST body: model, dimensions, version, ...); the accepted job."""
        return self._request("POST", f"/api/v1/benchmarks/{_quote(benchmark)}/calibrations",
                             json.dumps(spec).encode(), "application/json")

    def select(self, benchmark: str, *, items_per_scenario: Optional[int] = None, **spec: Any) -> Json:
        """Queues a subset selection (method, seed, calibration, ...); the accepted job."""
        if items_per_scenario is not None:
            spec["itemsPerScenario"] = items_per_scenario
        return self._request("POST", f"/api/v1/benchmarks/{_quote(benchmark)}/subsets",
                             json.dumps(spec).encode(), "application/json")

    def start_session(self, calibration_id: str, model: str, *, batch_size: int = 10,
                      max_items: Optional[int] = None, standard_error: Optional[float] = None,
                      interval_half_width: Optional[float] = None, seed: int = 0) -> Json:
        """Starts an adaptive session; the answer's ``items`` are the first batch to run."""
        stop = {k: v for k, v in (("maxItems", max_items), ("standardError", standard_error),
                                  ("intervalHalfWidth", interval_half_width)) if v is not None}
        body = {"model": model, "batchSize": batch_size, "stop": stop, "seed": seed}
        return self._request("POST", f"/api/v1/calibrations/{_quote(calibration_id)}/sessions",
                             json.dumps(body).encode(), "application/json")

    def session_samples(self, session_id: str) -> Json:
        """The pending batch as lm_eval's ``--samples`` argument, ``{"<task>": [doc ids]}``."""
        return self._request("GET", f"/api/v1/sessions/{_quote(session_id)}?format=lm-eval")

    def answer_session(self, session_id: str, *, lm_eval_dir: Union[str, Path, None] = None,
                       responses: Optional[Mapping[str, Optional[float]]] = None) -> Json:
        """Answers the pending batch (the batch's lm-eval folder, or {item id: score}); the next items or done."""
        if (lm_eval_dir is None) == (responses is None):
            raise ValueError("give either lm_eval_dir or responses")
        path = f"/api/v1/sessions/{_quote(session_id)}/answers"
        if lm_eval_dir is not None:
            return self._request("POST", path, archive_lm_eval_folder(lm_eval_dir), "application/gzip")
        return self._request("POST", path, json.dumps({"responses": dict(responses)}).encode(), "application/json")

    def session(self, session_id: str) -> Json:
        """A session: items asked and answers, ability with standard errors, and the current estimate."""
        return self._request("GET", f"/api/v1/sessions/{_quote(session_id)}")

    # -- tables ------------------------------------------------------------------------------------------------

    @staticmethod
    def estimate_frame(estimate: Json):
        """An estimate as a pandas DataFrame (a row per scenario and one for ``overall``); needs pandas."""
        import pandas  # optional: only this method needs it

        rows = [dict(scenario=name, **{k: v for k, v in part.items() if k != "estimators"})
                for name, part in estimate.get("scenarios", {}).items()]
        rows.append(dict(scenario="overall", **{k: v for k, v in estimate["overall"].items() if k != "estimators"}))
        return pandas.DataFrame(rows).set_index("scenario")

    # -- HTTP --------------------------------------------------------------------------------------------------

    def _request(self, method: str, path: str, body: Optional[bytes] = None, content_type: Optional[str] = None,
                 accept: str = "application/json") -> Any:
        request = urllib.request.Request(self.url + path, data=body, method=method)
        request.add_header("Accept", accept)
        if content_type:
            request.add_header("Content-Type", content_type)
        if self.key:
            request.add_header("Authorization", f"Bearer {self.key}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                text = response.read().decode("utf-8")
                if accept == "application/json" and text:
                    return json.loads(text)
                return text
        except urllib.error.HTTPError as error:
            raw = error.read().decode("utf-8", "replace")
            try:
                problem = json.loads(raw)
            except ValueError:
                problem = {"title": error.reason, "detail": raw[:500]}
            raise ItembankError(error.code, problem) from None


def _quote(segment: str) -> str:
    return urllib.parse.quote(str(segment), safe="")


def _query(**params: Any) -> str:
    present = {k: str(v) for k, v in params.items() if v is not None and v != ""}
    return "?" + urllib.parse.urlencode(present) if present else ""


def _job_path(job_id: str) -> str:
    return job_id if job_id.startswith("/") else f"/api/v1/jobs/{_quote(job_id)}"


def _main(argv: List[str]) -> int:
    """``python itembank_client.py estimate SUBSET DIR``: the estimate as JSON (a quick check from a shell)."""
    if len(argv) == 3 and argv[0] == "estimate":
        print(json.dumps(Client().estimate(argv[1], lm_eval_dir=argv[2]), indent=2))
        return 0
    print("usage: python itembank_client.py estimate SUBSET_ID LM_EVAL_DIR  (ITEMBANK_URL, ITEMBANK_KEY)")
    return 2


if __name__ == "__main__":
    import sys

    sys.exit(_main(sys.argv[1:]))
