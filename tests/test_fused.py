"""lstm_lesson.fused: the seed's four gates <-> one W (4H, H + D), blocks i, f, c~, o."""

import numpy as np
import pytest

from lstm_lesson import LSTMCell
from lstm_lesson.fused import GATE_ORDER, fuse, gate_slice, init_fused, unfuse


@pytest.mark.parametrize("D, H", [(3, 2), (1, 1), (5, 4)])
def test_blocks_in_the_order_i_f_c_o_and_round_trip(D, H):
    params = LSTMCell(D, H, seed=D + H).parameters()
    W, b = fuse(params)
    assert GATE_ORDER == ("i", "f", "c", "o")
    assert W.shape == (4 * H, H + D) and b.shape == (4 * H, 1)
    np.testing.assert_array_equal(W[:H], params["W_i"])
    np.testing.assert_array_equal(W[H:2 * H], params["W_f"])
    np.testing.assert_array_equal(W[2 * H:3 * H], params["W_c"])
    np.testing.assert_array_equal(b[3 * H:], params["b_o"])
    for gate in GATE_ORDER:
        np.testing.assert_array_equal(W[gate_slice(gate, H)], params[f"W_{gate}"])
    back = unfuse(W, b)
    assert sorted(back) == sorted(params)
    for name in params:
        np.testing.assert_array_equal(back[name], params[name])
    np.testing.assert_array_equal(fuse(back)[0], W)


def test_unfuse_returns_copies():
    W, b = init_fused(2, 2, seed=0)
    params = unfuse(W, b)
    params["W_i"][:] = 0
    assert np.any(W[:2] != 0)


def test_init_fused_is_the_seed_cell():
    W, b = init_fused(3, 2, seed=4)
    W_ref, b_ref = fuse(LSTMCell(3, 2, seed=4).parameters())
    np.testing.assert_array_equal(W, W_ref)
    np.testing.assert_array_equal(b, b_ref)
    np.testing.assert_allclose(W[0, :3], [-0.09829311, 0.40863237, 0.68469574], atol=1e-8)


def test_bad_input():
    params = LSTMCell(3, 2).parameters()
    with pytest.raises(KeyError, match="params: missing W_o, b_o"):
        fuse({k: v for k, v in params.items() if not k.endswith("o")})
    with pytest.raises(ValueError, match=r"W_c: expected shape \(H, H\+D\) with H = 2 \(from W_i\), D = 3 \(from W_i\), received \(5, 2\)"):
        fuse({**params, "W_c": params["W_c"].T})
    with pytest.raises(ValueError, match=r"b: expected shape \(4H, 1\), received \(7, 1\) \(7 is not a multiple of 4\)"):
        unfuse(np.zeros((7, 5)), np.zeros((7, 1)))
    with pytest.raises(ValueError, match=r"W: expected shape \(4H, H\+D\) with H = 2 \(from b\), received \(2, 20\)"):
        unfuse(np.zeros((2, 20)), np.zeros((8, 1)))
    with pytest.raises(ValueError, match=r"H = 2 \(from b\), received \(8, 2\) \(H\+D = 2 would leave D = 0: is W transposed\?\)"):
        unfuse(np.zeros((8, 2)), np.zeros((8, 1)))
    with pytest.raises(ValueError, match="gate: expected one of i, f, c, o, received 'g'"):
        gate_slice("g", 2)
    with pytest.raises(TypeError, match="params"):
        fuse([1, 2])


def test_parameter_count():
    from lstm_lesson.fused import parameter_count
    assert parameter_count(10, 20) == 2480
    W, b = init_fused(3, 5)
    assert parameter_count(3, 5) == W.size + b.size
    with pytest.raises(ValueError, match="hidden_size: expected a positive int, received 0"):
        parameter_count(3, 0)


def test_init_fused_names_a_bad_seed_and_refuses_huge_sizes():
    with pytest.raises(ValueError, match=r"^seed: expected a whole number >= 0"):
        init_fused(3, 2, seed=-1)
    with pytest.raises(ValueError, match=r"would need .* GiB"):
        init_fused(50_000, 50_000)
