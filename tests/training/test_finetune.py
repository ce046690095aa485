import numpy as np
import pytest

from training.finetune import finetune, make_batches


def test_batches_pair_messages_of_one_topic_and_never_repeat_a_topic():
    labels = ["bank::fraud", "bank::fees", "air::delay", "air::refund"] * 10 + ["air::lonely"]
    batches = make_batches(labels, steps=30, batch_size=3, seed=1)
    assert batches == make_batches(labels, steps=30, batch_size=3, seed=1)
    assert len(batches) == 30 and all(len(b) == 3 for b in batches)
    for b in batches:
        assert len({labels[a] for a, _ in b}) == 3  # distinct topics: the others are true negatives
        assert all(a != p and labels[a] == labels[p] for a, p in b)
    assert all(labels[a] != "air::lonely" for b in batches for a, _ in b)  # no partner, never an anchor
    assert len(make_batches(labels, steps=1, batch_size=32, seed=0)[0]) == 4  # capped by the topics there are


def test_one_topic_cannot_be_contrasted():
    with pytest.raises(ValueError, match="2 topics"):
        make_batches(["a::b"] * 5 + ["c::d"], steps=1, batch_size=4, seed=0)


def test_a_few_steps_pull_same_topic_messages_together():
    from training.encoder_torch import load_sentence_encoder

    st = load_sentence_encoder("sentence-transformers/all-MiniLM-L6-v2", 64)
    fraud = ["me vaciaron la cuenta ahora mismo", "hay cargos que no reconozco en mi tarjeta",
             "alguien sacó dinero de mi cuenta sin permiso"]
    delay = ["el vuelo lleva tres horas de retraso", "nuestro avión sigue sin salir de Barajas",
             "otra vez retrasado el vuelo de las 9"]

    def gap():
        e = st.encode(fraud + delay, normalize_embeddings=True)
        sim = e @ e.T
        same = (sim[:3, :3].sum() - 3 + sim[3:, 3:].sum() - 3) / 12
        return same - sim[:3, 3:].mean()

    before = gap()
    finetune(st, fraud + delay, ["bank::fraud"] * 3 + ["air::delay"] * 3, steps=8, batch_size=2, lr=5e-5, seed=0)
    assert np.isfinite(before) and gap() > before + 0.05
