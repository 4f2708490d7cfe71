"""lstm_lesson.network: recurrent layer + readout, its gradients by central differences."""

import numpy as np
import pytest

from lstm_lesson.gradcheck import gradient_check
from lstm_lesson.losses import softmax_cross_entropy, softmax_cross_entropy_backward
from lstm_lesson.network import init_network, network_backward, network_forward, states
from lstm_lesson.sequence import sequence_forward


@pytest.mark.parametrize("kind", ["lstm", "rnn"])
@pytest.mark.parametrize("read", ["last", "every"])
def test_gradients_against_central_differences(kind, read):
    rng = np.random.default_rng(0)
    T, D, H, K, N = 4, 2, 3, 2, 3
    params = init_network(kind, D, H, K, seed=1)
    params["b"] = params["b"] + rng.normal(0, 1, params["b"].shape)  # no gate at 1/2
    xs = rng.standard_normal((T, D, N))
    y, cache = network_forward(params, xs, kind, read)
    R = rng.standard_normal(y.shape)

    def loss(**p):
        return np.sum(R * network_forward(p, xs, kind, read)[0])  # dL/dy = R

    errors = gradient_check(loss, params, network_backward(R, cache))
    assert max(errors.values()) < 1e-8, errors


def test_the_lstm_layer_is_the_packages_sequence_forward():
    params = init_network("lstm", 2, 3, 1, seed=0)
    xs = np.random.default_rng(1).standard_normal((5, 2, 4))
    y, cache = network_forward(params, xs)
    hs, _, _ = sequence_forward(xs, params["W"], params["b"])
    np.testing.assert_array_equal(cache["hs"], hs)
    np.testing.assert_allclose(y, params["W_y"] @ hs[-1] + params["b_y"], rtol=1e-14)


def test_states_hold_every_gate_at_every_step():
    params = init_network("lstm", 3, 4, 3, seed=0)
    xs = np.random.default_rng(1).standard_normal((6, 3, 2))
    _, cache = network_forward(params, xs, read="every")
    found = states(cache)
    assert set(found) == {"i", "f", "c_tilde", "o", "c", "h"}
    assert all(a.shape == (6, 4, 2) for a in found.values())
    np.testing.assert_allclose(found["h"], found["o"] * np.tanh(found["c"]), rtol=1e-14)
    assert set(states(network_forward(init_network("rnn", 3, 4, 3), xs, "rnn")[1])) == {"h"}


def test_forget_bias_one_by_default_for_the_lstm():
    params = init_network("lstm", 2, 3, 1)
    assert np.all(params["b"][3:6] == 1.0)
    assert init_network("rnn", 2, 3, 1)["b"].shape == (3, 1)


def test_a_classifier_at_every_step_trains_with_the_cross_entropy():
    params = init_network("lstm", 2, 3, 4, seed=0)
    xs = np.random.default_rng(1).standard_normal((5, 2, 2))
    logits, cache = network_forward(params, xs, read="every")
    labels = np.zeros((5, 2), dtype=int)
    _, loss_cache = softmax_cross_entropy(logits, labels)
    grads = network_backward(softmax_cross_entropy_backward(loss_cache), cache)
    assert {k: v.shape for k, v in grads.items()} == {k: v.shape for k, v in params.items()}


def test_float32_stays_float32():
    params = init_network("lstm", 2, 3, 1, dtype=np.float32)
    xs = np.zeros((4, 2, 5), dtype=np.float32)
    y, cache = network_forward(params, xs)
    assert y.dtype == np.float32
    assert all(g.dtype == np.float32 for g in network_backward(y, cache).values())


def test_bad_input_is_named():
    params = init_network("lstm", 2, 3, 1)
    with pytest.raises(ValueError, match=r"xs: expected shape \(T, D, N\) with D = 2 \(from params\['W'\]\), received \(4, 3, 5\)"):
        network_forward(params, np.zeros((4, 3, 5)))
    with pytest.raises(ValueError, match="kind: expected one of 'lstm', 'rnn', .*received 'tcn'"):
        network_forward(params, np.zeros((4, 2, 5)), kind="tcn")
    with pytest.raises(ValueError, match=r"params\['W_y'\]: expected shape \(K, H\) with H = 4"):
        network_forward(params, np.zeros((4, 2, 5)), kind="gru")  # an LSTM's W read as 3H rows
    with pytest.raises(ValueError, match=r"params\['W'\]: expected shape \(H, H\+D\)"):
        network_forward(params, np.zeros((4, 2, 5)), kind="rnn")
    with pytest.raises(KeyError, match="params: missing W_y"):
        network_forward({"W": params["W"], "b": params["b"], "b_y": params["b_y"]}, np.zeros((4, 2, 5)))
    _, cache = network_forward(params, np.zeros((4, 2, 5)))
    with pytest.raises(ValueError, match=r"dy: expected shape \(K, N\) with K = 1 \(from cache\), N = 5 \(from cache\), received \(4, 1, 5\)"):
        network_backward(np.zeros((4, 1, 5)), cache)
