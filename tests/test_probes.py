"""lstm_lesson.probes: correlations, clamped forward passes, saliency, text signals, plots."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lstm_lesson.losses import softmax  # noqa: E402
from lstm_lesson.network import init_network, network_forward, states  # noqa: E402
from lstm_lesson.notebook import MAX_FIGURE_WIDTH  # noqa: E402
from lstm_lesson.probes import (clamped_forward, correlations, draw_heatmaps,  # noqa: E402
                                draw_text, most_correlated, saliency, text_signals)


def test_correlations_are_pearsons_r_over_the_counted_entries():
    rng = np.random.default_rng(0)
    values, signal = rng.standard_normal((7, 3, 4)), rng.standard_normal((7, 4))
    mask = (rng.uniform(size=(7, 4)) > 0.3).astype(float)
    keep = mask > 0
    expected = [np.corrcoef(values[:, j][keep], signal[keep])[0, 1] for j in range(3)]
    np.testing.assert_allclose(correlations(values, signal, mask), expected, rtol=1e-12)
    everything = [np.corrcoef(values[:, j].ravel(), signal.ravel())[0, 1] for j in range(3)]
    np.testing.assert_allclose(correlations(values, signal), everything, rtol=1e-12)


def test_a_constant_unit_correlates_with_nothing():
    values = np.zeros((5, 2, 3))
    values[:, 1] = np.arange(5)[:, None]
    r = correlations(values, np.arange(15.0).reshape(5, 3))
    assert r[0] == 0 and 0.9 < r[1] <= 1


def test_most_correlated_ranks_by_size_and_keeps_the_sign():
    rng = np.random.default_rng(1)
    signal = rng.standard_normal((20, 3))
    values = rng.standard_normal((20, 4, 3))
    values[:, 2] = -signal + 0.01 * rng.standard_normal((20, 3))
    values[:, 0] = 0.5 * signal + rng.standard_normal((20, 3))
    unit, r = most_correlated(values, signal)
    assert unit == 2 and r < -0.99 and isinstance(unit, int)


def test_padding_is_left_out():
    signal = np.tile(np.arange(6.0)[:, None], (1, 2))
    values = signal[:, None, :].repeat(2, axis=1).copy()
    values[4:, 0] = -100.0  # padding that would spoil unit 0
    mask = np.ones((6, 2))
    mask[4:] = 0
    assert correlations(values, signal, mask)[0] == pytest.approx(1.0)
    assert correlations(values, signal)[0] < 0


@pytest.mark.parametrize("args, message", [
    ((np.zeros((3, 2)), np.zeros((3, 1))), "values: expected shape (T, H, N)"),
    ((np.zeros((3, 2, 1)), np.zeros((3, 2))), "signal: expected shape (T, N) = (3, 1)"),
    ((np.zeros((3, 2, 1)), np.zeros((3, 1)), np.zeros((2, 1))), "mask: expected shape"),
    ((np.zeros((3, 2, 1)), np.zeros((3, 1)), np.zeros((3, 1))), "fewer than 2 entries"),
])
def test_bad_arguments_are_named(args, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        correlations(*args)


def small_network(seed=0, D=3, H=4, K=3):
    params = init_network("lstm", D, H, K, seed=seed)
    rng = np.random.default_rng(seed + 100)
    return {name: p + rng.normal(0, 0.5, p.shape) for name, p in params.items()}


def test_a_clamped_unit_holds_its_value_and_h_follows_it():
    params = small_network()
    xs = np.random.default_rng(2).standard_normal((6, 3, 5))
    logits, found = clamped_forward(params, xs, 1, 0.75)
    assert logits.shape == (6, 3, 5) and set(found) == {"i", "f", "c_tilde", "o", "c", "h"}
    assert np.all(found["c"][:, 1] == 0.75)
    np.testing.assert_allclose(found["h"], found["o"] * np.tanh(found["c"]), rtol=1e-15)
    np.testing.assert_allclose(logits, params["W_y"] @ found["h"] + params["b_y"])
    intact, cache = network_forward(params, xs, "lstm", "every")
    step_1 = states(cache)
    # Step 1 reads zero states either way: every unit but the clamped one is unchanged.
    np.testing.assert_allclose(found["c"][0, [0, 2, 3]], step_1["c"][0, [0, 2, 3]])
    assert not np.allclose(logits, intact)


def test_clamping_a_unit_at_the_value_it_has_changes_nothing():
    params = small_network()
    params["W"][4:8] = 0  # rows of the forget gate: f = sigma(b_f), constant
    params["W"][0:4, :] = 0  # input gate constant
    params["W"][8 + 2] = 0  # unit 2 writes a constant candidate
    xs = np.random.default_rng(3).standard_normal((1, 3, 2))
    logits, cache = network_forward(params, xs, "lstm", "every")
    value = float(states(cache)["c"][0, 2, 0])
    clamped, _ = clamped_forward(params, xs, 2, value)
    np.testing.assert_allclose(clamped, logits, rtol=1e-14)


@pytest.mark.parametrize("unit, value, error", [(4, 0.0, ValueError), (-1, 0.0, ValueError),
                                                (1.0, 0.0, ValueError), (True, 0.0, ValueError),
                                                (0, "high", TypeError)])
def test_clamped_forward_refuses_what_it_cannot_clamp(unit, value, error):
    with pytest.raises(error):
        clamped_forward(small_network(), np.zeros((2, 3, 1)), unit, value)


def central_saliency(params, xs, t, labels, eps=1e-6):
    def loss(x):
        logits, _ = network_forward(params, x, "lstm", "every")
        p = softmax(logits[t])
        return -np.log(p[labels, np.arange(x.shape[2])]).sum()

    grad = np.zeros(xs.shape)
    for index in np.ndindex(xs.shape):
        step = np.zeros(xs.shape)
        step[index] = eps
        grad[index] = (loss(xs + step) - loss(xs - step)) / (2 * eps)
    return np.linalg.norm(grad, axis=1)


@pytest.mark.parametrize("t", [0, 2, 4])
def test_saliency_is_the_norm_of_the_input_gradient(t):
    params = small_network(seed=4)
    xs = np.random.default_rng(5).standard_normal((5, 3, 2))
    labels = np.array([0, 2])
    found = saliency(params, xs, t, labels)
    assert found.shape == (5, 2) and not found[t + 1:].any()
    np.testing.assert_allclose(found, central_saliency(params, xs, t, labels), atol=1e-7)


def test_each_sequence_of_a_batch_gets_its_own_saliency():
    params = small_network(seed=6)
    xs = np.random.default_rng(7).standard_normal((4, 3, 3))
    labels = np.array([1, 0, 2])
    together = saliency(params, xs, 3, labels)
    for n in range(3):
        alone = saliency(params, xs[:, :, n:n + 1], 3, labels[n:n + 1])
        np.testing.assert_allclose(together[:, n:n + 1], alone, rtol=1e-12)


@pytest.mark.parametrize("t, labels", [(5, [0]), (-1, [0]), (1, [3]), (1, [0.5]), (1, [0, 1])])
def test_saliency_refuses_a_step_or_label_that_does_not_exist(t, labels):
    with pytest.raises(ValueError):
        saliency(small_network(), np.zeros((5, 3, 1)), t, np.array(labels))


def test_text_signals():
    found = text_signals('ab (c [d]) e\nfg "h" i')
    assert found["bracket"].tolist() == [0, 0, 0, 1, 1, 1, 1, 1, 1] + [0] * 12
    assert found["column"].tolist()[:14] == list(range(1, 13)) + [0, 1]
    assert found["quote"].tolist()[15:20] == [0, 1, 1, 0, 0]
    assert text_signals(")(")["bracket"].tolist() == [0, 1]  # an unmatched ) is ignored
    with pytest.raises(TypeError):
        text_signals(b"bytes")


def test_the_plots_fit_the_text_column():
    params = small_network()
    xs = np.random.default_rng(8).standard_normal((5, 3, 2))
    found = states(network_forward(params, xs, "lstm", "every")[1])
    fig = draw_heatmaps(found, "SABCD", units=[3, 0, 1, 2], column=1, title="t")
    assert fig.get_figwidth() <= MAX_FIGURE_WIDTH and len(fig.axes) == 10  # 5 maps, 5 bars
    assert [label.get_text() for label in fig.axes[4].get_xticklabels()] == list("SABCD")
    plt.close(fig)
    fig = draw_heatmaps(found, "SABCD", names=("c",), units=[3, 0, 1, 2], mark=3)
    assert [label.get_text() for label in fig.axes[0].get_yticklabels()] == ["3"]
    plt.close(fig)
    ax = draw_text("ab\ncd", np.array([0.1, -0.2, 0.0, 0.3, 0.4]))
    assert ax.figure.get_figwidth() <= MAX_FIGURE_WIDTH
    assert [text.get_text() for text in ax.texts] == ["a", "b", "¶", "c", "d"]
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="one per character"):
        draw_text("abc", np.zeros(2))
