"""The bundle as an MLflow pyfunc model: ``predict`` returns what ``POST /v1/suggest`` returns,
so ``mlflow models serve`` on a registered version answers like the Atiende API does.

Input: a DataFrame (or records) with a ``text`` column and optionally ``lang``, ``channel``,
``handle``, ``followers``, ``created_at``, ``k``, ``brand``, ``agent``.
"""

from __future__ import annotations

import datetime as dt
import math

import mlflow.pyfunc

OPTIONAL = ("lang", "channel", "handle", "followers", "created_at", "k", "brand", "agent")


class AtiendeModel(mlflow.pyfunc.PythonModel):
    def load_context(self, context) -> None:
        from model.suggest import Suggester

        self.suggester = Suggester(context.artifacts["bundle"])

    def predict(self, context, model_input, params=None) -> list[dict]:
        from model.suggest import SuggestInput

        rows = model_input.to_dict(orient="records") if hasattr(model_input, "to_dict") else list(model_input)
        out = []
        for row in rows:
            given = {k: row[k] for k in OPTIONAL if k in row and not _missing(row[k])}
            if "created_at" in given and isinstance(given["created_at"], str):
                given["created_at"] = dt.datetime.fromisoformat(given["created_at"])
            for key in ("k", "followers"):
                if key in given:
                    given[key] = int(given[key])
            out.append(self.suggester.suggest(SuggestInput(text=str(row["text"]), **given)))
        return out


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))
