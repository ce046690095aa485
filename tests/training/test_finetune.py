import numpy as np

from training.finetune import finetune, make_pairs


def test_pairs_are_balanced_and_labelled_by_urgency():
    texts = [f"t{i}" for i in range(40)]
    labels = ["critical", "low"] * 20
    pairs = make_pairs(texts, labels, 100, seed=1)
    assert pairs == make_pairs(texts, labels, 100, seed=1)
    label_of = dict(zip(texts, labels, strict=True))
    assert sum(p[2] for p in pairs) == 50
    assert all((label_of[a] == label_of[b]) == (y == 1.0) for a, b, y in pairs)


def test_a_few_steps_pull_same_label_messages_together():
    from training.encoder_torch import load_sentence_encoder

    st = load_sentence_encoder("sentence-transformers/all-MiniLM-L6-v2", 64)
    crit = ["hay olor a gas en la escalera", "me vaciaron la cuenta ahora mismo", "cable cortado echando chispas"]
    low = ["gracias, son geniales", "me encantó la atención", "qué lindo el nuevo logo"]

    def gap():
        e = st.encode(crit + low, normalize_embeddings=True)
        sim = e @ e.T
        same = (sim[:3, :3].sum() - 3 + sim[3:, 3:].sum() - 3) / 12
        return same - sim[:3, 3:].mean()

    before = gap()
    finetune(st, crit + low, ["critical"] * 3 + ["low"] * 3, steps=8, batch_size=8, lr=5e-5, seed=0)
    assert gap() > before + 0.05
    assert np.isfinite(before)
