import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from model.features import NgramTfidf

TEXTS = ["Llevo 3 días SIN internet 😡 @FibraSur", "genial, tercer día sin luz 👏👏", "Thanks!!! you rock",
         "mi tarjeta 4539 1234 5678 9012 fue rechazada en el súper", "ñandú pingüino acción", "a", "   ", "x y z"]


def test_char_tfidf_matches_scikit_learn():
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=True, strip_accents="unicode",
                          sublinear_tf=True, min_df=1, dtype=np.float32).fit(TEXTS[:5])
    ours = NgramTfidf({k: int(v) for k, v in vec.vocabulary_.items()}, vec.idf_, (2, 5))
    np.testing.assert_allclose(ours.transform(TEXTS), vec.transform(TEXTS).toarray(), atol=1e-6)


def test_round_trip_through_dict():
    ours = NgramTfidf({" a": 0, "a ": 1}, [1.0, 2.0], (2, 2))
    again = NgramTfidf.from_dict(ours.to_dict())
    np.testing.assert_array_equal(again.transform(["a b"]), ours.transform(["a b"]))


def test_word_tfidf_matches_scikit_learn():
    vec = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), lowercase=True, strip_accents="unicode",
                          sublinear_tf=True, min_df=1, dtype=np.float32).fit(TEXTS[:5])
    ours = NgramTfidf({k: int(v) for k, v in vec.vocabulary_.items()}, vec.idf_, (1, 2), analyzer="word")
    np.testing.assert_allclose(ours.transform(TEXTS), vec.transform(TEXTS).toarray(), atol=1e-6)
