"""Chapter 13's variants: every backward pass against central differences, and each
variant against the equation that defines it."""

import numpy as np
import pytest

from lstm_lesson.activations import sigmoid
from lstm_lesson.gradcheck import gradient_check
from lstm_lesson.network import init_network, network_backward, network_forward
from lstm_lesson.sequence import sequence_forward
from lstm_lesson.initialization import init_lstm
from lstm_lesson.variants import (GRUS, KINDS, SPECS, blocks, gru_step, init_variant,
                                  parameter_count, variant_backward, variant_forward,
                                  variant_step)

T, D, H, N = 4, 3, 2, 2


def point(kind, seed=0):
    """Parameters moved off their initial values (peepholes non-zero), inputs, states."""
    rng = np.random.default_rng(seed)
    params = init_variant(kind, D, H, seed=seed + 1)
    params = {name: value + 0.3 * rng.standard_normal(value.shape)
              for name, value in params.items()}
    xs = rng.standard_normal((T, D, N))
    h0 = rng.standard_normal((H, N))
    c0 = None if kind in GRUS else rng.standard_normal((H, N))
    return params, xs, h0, c0, rng.standard_normal((T, H, N)), rng.standard_normal((H, N))


@pytest.mark.parametrize("kind", KINDS)
def test_every_gradient_of_every_variant_agrees_with_central_differences(kind):
    params, xs, h0, c0, R, S = point(kind)

    def loss(xs, h0, c0=None, **ps):
        hs, (_, c), _ = variant_forward(kind, ps, xs, h0, c0)
        return (R * hs).sum()  # reads every h_t

    _, _, caches = variant_forward(kind, params, xs, h0, c0)
    dxs, dh0, dc0, grads = variant_backward(R, caches)
    inputs, analytic = {"xs": xs, "h0": h0, **params}, {"xs": dxs, "h0": dh0, **grads}
    if c0 is not None:
        inputs["c0"], analytic["c0"] = c0, dc0
    errors = gradient_check(loss, inputs, analytic)
    assert set(errors) >= {"W", "b", *params}
    assert max(errors.values()) < 1e-7, errors


def test_the_lstm_variant_is_the_cell_of_chapters_3_to_10():
    W, b = init_lstm(D, H, seed=3)
    xs = np.random.default_rng(4).standard_normal((T, D, N))
    hs, (h, c), _ = sequence_forward(xs, W, b)
    hs2, (h2, c2), _ = variant_forward("lstm", {"W": W, "b": b}, xs)
    assert np.array_equal(hs, hs2) and np.array_equal(c, c2)


def test_each_variant_is_its_equation():
    rng = np.random.default_rng(5)
    x, h, c = rng.standard_normal((D, N)), rng.standard_normal((H, N)), rng.standard_normal((H, N))
    z = np.vstack([h, x])
    for kind in SPECS:
        params = init_variant(kind, D, H, seed=6)
        if kind == "peephole":
            params["p"] = rng.standard_normal((3 * H, 1))
        h_t, c_t, cache = variant_step(kind, x, h, c, params)
        a = {name: params["W"][k * H:(k + 1) * H] @ z + params["b"][k * H:(k + 1) * H]
             for k, name in enumerate(blocks(kind))}
        if kind == "peephole":
            p_i, p_f, p_o = np.split(params["p"], 3)
            i, f = sigmoid(a["i"] + p_i * c), sigmoid(a["f"] + p_f * c)
            c_new = f * c + i * np.tanh(a["c"])
            expected = sigmoid(a["o"] + p_o * c_new) * np.tanh(c_new)
        else:
            f = sigmoid(a["f"]) if "f" in a else 1
            i = 1 - f if kind == "cifg" else (sigmoid(a["i"]) if "i" in a else 1)
            c_new = f * c + i * (a["c"] if kind == "niaf" else np.tanh(a["c"]))
            o = sigmoid(a["o"]) if "o" in a else 1
            expected = o * (c_new if kind == "noaf" else np.tanh(c_new))
        assert np.allclose(c_t, c_new, rtol=1e-12, atol=1e-14), kind
        assert np.allclose(h_t, expected, rtol=1e-12, atol=1e-14), kind


def test_the_two_grus_reset_before_and_after_the_product():
    rng = np.random.default_rng(7)
    x, h = rng.standard_normal((D, N)), rng.standard_normal((H, N))
    params = init_variant("gru_pytorch", D, H, seed=8)
    W, b, b_hn = params["W"], params["b"], params["b_hn"]
    W_r, W_u, W_n = np.split(W, 3)
    b_r, b_u, b_n = np.split(b, 3)
    # PyTorch's documented nn.GRU, one example per column:
    r = sigmoid(W_r @ np.vstack([h, x]) + b_r)
    u = sigmoid(W_u @ np.vstack([h, x]) + b_u)
    n = np.tanh(W_n[:, H:] @ x + b_n + r * (W_n[:, :H] @ h + b_hn))
    assert np.allclose(gru_step("gru_pytorch", x, h, params)[0], (1 - u) * n + u * h,
                       rtol=1e-12, atol=1e-14)
    # Cho et al.: the reset gate scales h_{t-1} before the product.
    n_cho = np.tanh(W_n @ np.vstack([r * h, x]) + b_n)
    assert np.allclose(gru_step("gru", x, h, params)[0], (1 - u) * n_cho + u * h,
                       rtol=1e-12, atol=1e-14)
    # With the reset gate open (r = 1) and b_hn = 0, the two agree.
    params_open = {**params, "b": np.vstack([np.full((H, 1), 40.0), b_u, b_n]),
                   "b_hn": np.zeros((H, 1))}
    assert np.allclose(gru_step("gru", x, h, params_open)[0],
                       gru_step("gru_pytorch", x, h, params_open)[0], atol=1e-12)


def test_parameter_counts():
    assert parameter_count("lstm", D, H) == 4 * H * (H + D) + 4 * H
    assert parameter_count("peephole", D, H) == 4 * H * (H + D) + 4 * H + 3 * H
    for kind in ("cifg", "nfg", "nig", "nog"):
        assert parameter_count(kind, D, H) == 3 * H * (H + D) + 3 * H
    assert parameter_count("gru", D, H) == 3 * H * (H + D) + 3 * H
    assert parameter_count("gru_pytorch", D, H) == 3 * H * (H + D) + 4 * H
    for kind in KINDS:
        params = init_variant(kind, D, H)
        assert sum(v.size for v in params.values()) == parameter_count(kind, D, H)


def test_init_sets_the_forget_bias_and_starts_peepholes_at_zero():
    params = init_variant("peephole", D, H, forget_bias=1.0)
    assert np.all(params["b"][H:2 * H] == 1) and np.all(params["p"] == 0)
    cifg = init_variant("cifg", D, H, forget_bias=1.0)
    assert np.all(cifg["b"][:H] == 1)  # blocks f, c~, o
    assert init_variant("gru", D, H, dtype=np.float32)["W"].dtype == np.float32


@pytest.mark.parametrize("kind", ["peephole", "cifg", "gru", "gru_pytorch"])
def test_the_network_trains_a_variant_through_the_same_dict(kind):
    params = init_network(kind, D, H, 2, seed=0)
    xs = np.random.default_rng(9).standard_normal((T, D, N))
    y, cache = network_forward(params, xs, kind, "every")
    grads = network_backward(np.ones_like(y), cache)
    assert set(grads) == set(params)
    assert all(grads[name].shape == params[name].shape for name in params)


def test_bad_arguments_are_named():
    params = init_variant("peephole", D, H)
    xs = np.zeros((T, D, N))
    with pytest.raises(ValueError, match="kind: expected one of"):
        variant_forward("lstm2", params, xs)
    with pytest.raises(KeyError, match="needs 'p'"):
        variant_forward("peephole", {"W": params["W"], "b": params["b"]}, xs)
    with pytest.raises(ValueError, match=r"params\['W'\]: expected shape \(3H, H\+D\)"):
        variant_forward("cifg", params, xs)
    with pytest.raises(ValueError, match="c0: the GRU has no cell state"):
        variant_forward("gru", init_variant("gru", D, H), xs, c0=np.zeros((H, N)))
    with pytest.raises(TypeError, match="caches"):
        variant_backward(np.zeros((T, H, N)), [])
