"""The naive baseline for bench_api.py: what a user would write first.

sentence-transformers on torch and a scikit-learn logistic regression called inside a plain
FastAPI handler, replies by cosine over the bank's embeddings. Same bundle bank, same labels.
Run: python bench/naive_server.py BUNDLE PORT
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class Req(BaseModel):
    text: str
    k: int = 3


def build(bundle: Path) -> FastAPI:
    from naive_baseline import fit_naive

    st, clf, bank, bank_emb = fit_naive(bundle)
    app = FastAPI()

    @app.post("/v1/suggest")
    def suggest(req: Req) -> dict:
        emb = st.encode([req.text])
        probs = clf.predict_proba(emb)[0]
        top = np.argsort(-(bank_emb @ emb[0]))[: req.k]
        return {"urgency": {"label": str(clf.classes_[int(np.argmax(probs))]),
                            "probabilities": dict(zip(map(str, clf.classes_), map(float, probs)))},
                "suggestions": [{"id": bank[i]["id"], "text": bank[i]["text"]} for i in top]}

    @app.get("/readyz")
    def readyz() -> dict:
        return {"status": "ready"}

    return app


if __name__ == "__main__":
    uvicorn.run(build(Path(sys.argv[1])), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning",
                access_log=False)
