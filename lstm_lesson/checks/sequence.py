"""Checkers for chapter 8: unrolling the fused cell over a sequence."""

import numpy as np

from .core import Case, Mistake, WrongPrediction, run_check, run_prediction
from .fused import SPLIT_FIX, WRONG_ORDERS, buggy_fused_step
from .pristine import activations, cell, fused, sequence

sigmoid, init_fused = activations.sigmoid, fused.init_fused

__all__ = ["check_unroll", "check_final_state", "check_carried_fraction",
           "check_settled_state", "check_in_chunks"]

#: Sizes (T, D, H, N) of the sequences tried: one step, one example, a batch.
SEQUENCES = [(5, 3, 2, 1), (4, 2, 3, 4), (1, 2, 2, 2), (6, 1, 1, 1)]


def _sequence_cases(seed, with_states):
    cases = []
    for k, (T, D, H, N) in enumerate(SEQUENCES):
        rng = np.random.default_rng(seed + k)
        W, b = init_fused(D, H, seed=seed + 10 + k)
        b = b + rng.uniform(-1, 1, b.shape)  # biases away from 0, so no gate sits at 1/2
        xs = rng.standard_normal((T, D, N))
        name = f"T={T}, D={D}, H={H}, N={N}"
        if with_states:
            h0, c0 = rng.uniform(-1, 1, (H, N)), rng.standard_normal((H, N))
            cases.append(Case(name + ", random h0, c0", (xs, W, b, h0, c0)))
        else:
            cases.append(Case(name, (xs, W, b)))
    return cases


def _unroll(xs, W, b, h0, c0):
    """The reference: every h_t and every c_t of the package's sequence."""
    hs, _, cache = sequence.sequence_forward(xs, W, b, h0, c0)
    return hs, np.stack([step["c_t"] for step in cache])


def _final(xs, W, b):
    """The reference: the final (h, c) from zero initial states."""
    _, (h, c), _ = sequence.sequence_forward(xs, W, b)
    return h, c


def _step(x_t, h, c, W, b):
    h_t, c_t, _ = cell.cell_forward(x_t, h, c, W, b)
    return h_t, c_t


def _buggy_loop(step=_step, carry="both", store="after", start="given", keep="all",
                swap=False):
    """A reader's loop over time with one slip.

    carry: which state passes to the next step ("both", "h", "none");
    store: record the state "after" the step or "before" it (off by one);
    start: initial states as "given", or "zeros"/"ones" (final-state checker);
    keep: return "all" steps, or the "last" or "first" one.
    """

    def run(xs, W, b, h0=None, c0=None):
        H, N = W.shape[0] // 4, xs.shape[2]
        if start == "given" and h0 is not None:
            h_init, c_init = h0, c0
        else:
            fill = np.ones if start == "ones" else np.zeros
            h_init, c_init = fill((H, N)), fill((H, N))
        h, c = h_init, c_init
        hs, cs = [], []
        for x_t in xs:
            if store == "before":
                hs.append(h)
                cs.append(c)
            h_new, c_new = step(x_t, h, c, W, b)
            h = h_new if carry in ("both", "h") else h_init
            c = c_new if carry == "both" else c_init
            if store == "after":
                hs.append(h_new)
                cs.append(c_new)
        if keep == "last":  # the last step's output
            return (c_new, h_new) if swap else (h_new, c_new)
        if keep == "first":
            return hs[0], cs[0]
        return np.stack(hs), np.stack(cs)

    return run


def _slipped_step(**slip):
    buggy = buggy_fused_step(**slip)
    return _buggy_loop(step=buggy)


#: The fix of a loop that does not carry the state from one step to the next.
CARRY_FIX = "Update the state inside the loop: h, c = step(x_t, h, c, W, b)."

SEQUENCE_MISTAKES = [
    Mistake(
        "state not carried",
        "Each step must start from the state the previous step returned; yours "
        "restarts from the initial states.",
        CARRY_FIX + " Do not restart from h0 and c0.",
        _buggy_loop(carry="none"),
    ),
    Mistake(
        "only h carried",
        "The cell state is the LSTM's memory: it too must pass from one step to the "
        "next.",
        "Carry both states: h, c = step(x_t, h, c, W, b).",
        _buggy_loop(carry="h"),
    ),
    Mistake(
        "states stored before the step",
        "hs[t] is the state after reading xs[t]: you stored the state the step "
        "started from.",
        "Append h and c after the step, so that hs holds h_1 ... h_T.",
        _buggy_loop(store="before"),
    ),
    Mistake(
        "the reference cell's order f, i, c, o",
        "The fused blocks are i, f, c~, o from the top, not the reference cell's "
        "f, i, c, o.",
        SPLIT_FIX,
        _slipped_step(order=WRONG_ORDERS[0]),
    ),
    Mistake(
        "[x, h] instead of [h, x]",
        "Check the order of your concatenation: h comes first.",
        "z = np.vstack([h_prev, x_t]).",
        _slipped_step(concat_x_first=True),
    ),
    Mistake(
        "c_{t-1} in h_t",
        "h_t uses the new cell state c_t, not c_{t-1}.",
        "h_t = o * np.tanh(c_t).",
        _slipped_step(h_source="c_prev"),
    ),
]


def check_unroll(unroll, hint=1):
    """Check ``unroll(xs, W, b, h0, c0) -> (hs, cs)``, both (T, H, N).

    xs (T, D, N); W (4H, H + D) and b (4H, 1) fused, blocks i, f, c~, o;
    h0, c0 (H, N).
    """
    return run_check(
        "check_unroll", unroll, _unroll, _sequence_cases(800, with_states=True),
        SEQUENCE_MISTAKES,
        generic_hint="Loop over the steps, call one step with the previous state, "
        "store the new h and c, and stack the lists along a new first axis.",
        generic_fix="for x_t in xs: h, c = step(x_t, h, c, W, b); hs.append(h); "
        "cs.append(c); then return np.stack(hs), np.stack(cs).",
        outputs=("hs", "cs"), hint=hint,
    )


FINAL_MISTAKES = [
    Mistake(
        "initial states not zero",
        "The sequence starts from zero states; yours starts elsewhere.",
        "h0 = np.zeros((H, N)) and c0 = np.zeros((H, N)), with H = W.shape[0] // 4 "
        "and N = xs.shape[2].",
        _buggy_loop(start="ones", keep="last"),
    ),
    Mistake(
        "state not carried",
        "Each step must start from the state the previous step returned.",
        CARRY_FIX,
        _buggy_loop(start="zeros", carry="none", keep="last"),
    ),
    Mistake(
        "first step returned",
        "You returned the state after the first step; the question asks for the last.",
        "Return h and c after the loop has run over every x_t.",
        _buggy_loop(start="zeros", keep="first"),
    ),
    Mistake(
        "outputs swapped",
        "The two outputs come in the other order: the hidden state first.",
        "End with `return h, c`.",
        _buggy_loop(start="zeros", keep="last", swap=True),
    ),
]


def check_final_state(final_state, hint=1):
    """Check ``final_state(xs, W, b) -> (h, c)``: h_T and c_T from zero initial states."""
    return run_check(
        "check_final_state", final_state, _final, _sequence_cases(820, with_states=False),
        FINAL_MISTAKES,
        generic_hint="Start from zero states, run every step, return the last state.",
        generic_fix="h = c = np.zeros((H, N)); for x_t in xs: h, c = step(x_t, h, c, W, b); "
        "return h, c.",
        outputs=("h", "c"), hint=hint,
    )


def _carried(xs, W, b):
    """The reference: the product of the forget gates over the whole sequence."""
    _, _, cache = sequence.sequence_forward(xs, W, b)
    return np.prod([step["f"] for step in cache], axis=0)


def _gate_products(gate="f", skip_first=False, skip_last=False, combine="prod", complement=False):
    def buggy(xs, W, b):
        _, _, cache = sequence.sequence_forward(xs, W, b)
        values = [step[gate] for step in cache]
        values = values[1:] if skip_first else values
        values = values[:-1] if skip_last else values
        values = [1 - v for v in values] if complement else values
        if combine == "sum":
            return np.sum(values, axis=0)
        if combine == "mean":
            return np.mean(values, axis=0)
        return np.prod(values, axis=0) if values else np.ones_like(cache[0]["f"])
    return buggy


def _carried_loop(order="hx", carry=True, last_only=False):
    """A reader's loop collecting f_t, with one slip."""

    def buggy(xs, W, b):
        H, N = W.shape[0] // 4, xs.shape[2]
        h = c = np.zeros((H, N))
        product, f = np.ones((H, N)), None
        for x_t in xs:
            z = np.vstack([h, x_t] if order == "hx" else [x_t, h])
            f = sigmoid((W @ z + b)[H:2 * H])  # the forget block
            product = product * f
            h_new, c_new = _step(x_t, h, c, W, b)
            if carry:
                h, c = h_new, c_new
        return f if last_only else product

    return buggy


#: The fix of every slip in combining the forget gates.
PRODUCT_FIX = "np.prod([step['f'] for step in cache], axis=0)"

CARRIED_MISTAKES = [
    Mistake(
        "sum instead of product",
        "Along the direct path each step multiplies what is left by its forget gate: "
        "the gates combine by multiplication, not addition.",
        f"Multiply them: {PRODUCT_FIX}, not np.sum.",
        _gate_products(combine="sum"),
    ),
    Mistake(
        "mean instead of product",
        "The fraction left after T steps is the product of the gates, not their "
        "average.",
        f"Multiply them: {PRODUCT_FIX}, not np.mean.",
        _gate_products(combine="mean"),
    ),
    Mistake(
        "input gate instead of forget gate",
        "What survives is decided by the forget gate; the input gate decides what is "
        "written.",
        f"Collect cache[t]['f'], not cache[t]['i']: {PRODUCT_FIX}.",
        _gate_products(gate="i"),
    ),
    Mistake(
        "1 - f instead of f",
        "f_t is the fraction kept; you multiplied the fractions forgotten.",
        f"Multiply the f_t themselves, not 1 - f_t: {PRODUCT_FIX}.",
        _gate_products(complement=True),
    ),
    Mistake(
        "a step left out",
        "Every step multiplies the state by its forget gate, the first and the last "
        "included: T factors for T steps.",
        f"Multiply all T gates: {PRODUCT_FIX}.",
        _gate_products(skip_first=True),
        variants=(_gate_products(skip_last=True),),
    ),
    Mistake(
        "state not carried",
        "The gates of step t read h_{t-1}, the state the previous step returned: "
        "yours start every step from zeros.",
        CARRY_FIX,
        _carried_loop(carry=False),
    ),
    Mistake(
        "last gate only",
        "The last gate alone is what the last step keeps; what survives the whole "
        "sequence involves every step.",
        f"The product f_1 f_2 ... f_T: {PRODUCT_FIX}.",
        _carried_loop(last_only=True),
    ),
    Mistake(
        "[x, h] instead of [h, x]",
        "Check the order of your concatenation: h comes first.",
        "z = np.vstack([h, x_t]).",
        _carried_loop(order="xh"),
    ),
]


def check_carried_fraction(carried_fraction, hint=1):
    """Check ``carried_fraction(xs, W, b) -> (H, N)``: the product of f_t over all T steps,
    from zero initial states."""
    return run_check(
        "check_carried_fraction", carried_fraction, _carried,
        _sequence_cases(840, with_states=False), CARRIED_MISTAKES,
        generic_hint="Run the sequence from zero states, collect the forget gate of "
        "every step (the cache keeps them) and combine them.",
        generic_fix=f"_, _, cache = sequence_forward(xs, W, b); {PRODUCT_FIX}.",
        hint=hint,
    )


# -- Chapter 8: predict where the state settles, find the bug in chunks ----------

#: The prediction of chapter 8: one unit, every weight 0, every bias 0 but the
#: candidate's, run for T steps from zero states.
SETTLED = {"H": 1, "D": 2, "T": 30, "candidate_bias": 10.0, "seed": 3}


def settled_cell():
    """``(xs, W, b)`` of the prediction: W = 0, b = 0 but for the candidate's block."""
    H, D, T = SETTLED["H"], SETTLED["D"], SETTLED["T"]
    W, b = np.zeros((4 * H, H + D)), np.zeros((4 * H, 1))
    b[fused.gate_slice("c", H)] = SETTLED["candidate_bias"]
    xs = np.random.default_rng(SETTLED["seed"]).standard_normal((T, D, 1))
    return xs, W, b


def _settled_h():
    """h_T of :func:`settled_cell`, from the private copy of the package."""
    _, (h, _), _ = sequence.sequence_forward(*settled_cell())
    return float(h.item())


#: How the cell settles, shown by the second-tier hints.
SETTLED_FIX = ("With every weight 0 each gate is sigma(0) = 1/2 and the candidate is "
               "tanh(10), almost 1, at every step: c_t = c_{t-1}/2 + 1/2 settles at "
               "c = 1 (where as much is forgotten as written), and h_t = o_t tanh(c_t) "
               "settles at tanh(1)/2.")

SETTLED_PREDICTIONS = [
    WrongPrediction(
        "one step only",
        0.5 * float(np.tanh(0.5)),
        "That is h after the first step. The cell state keeps half of itself at each "
        "step and adds half a candidate again: it accumulates.",
        "After one step c_1 is 1/2; the steps after it keep adding. " + SETTLED_FIX,
    ),
    WrongPrediction(
        "h_t without tanh",
        0.5,
        "Where does c_t settle, and how does h_t show it? Each step keeps only half "
        "of the cell state, so it stops growing, and h_t squashes it.",
        "c_t does not grow without bound, and h_t is o_t tanh(c_t), not o_t c_t. "
        + SETTLED_FIX,
    ),
    WrongPrediction(
        "output gate left out",
        float(np.tanh(1.0)),
        "Close: that is the squashed cell state, but the output gate shows only a "
        "fraction of it.",
        "The output gate is sigma(0) = 1/2 too. " + SETTLED_FIX,
    ),
    WrongPrediction(
        "the cell state, not h",
        1.0,
        "That is where the cell state settles (or h with every gate wide open); a "
        "gate whose bias is 0 is half open, and h_t shows the squashed cell state.",
        "h_t = o_t tanh(c_t), with o_t = 1/2. " + SETTLED_FIX,
    ),
    WrongPrediction(
        "the memory fades to nothing",
        0.0,
        "A gate whose bias is 0 is half open, not shut; and the input gate writes a "
        "new candidate at every step, so the cell state does not fade away.",
        "sigma(0) = 1/2, not 0. " + SETTLED_FIX,
    ),
]


def check_settled_state(prediction, hint=1):
    """Check a prediction of h_T for :func:`settled_cell` (chapter 8)."""
    return run_prediction(
        "check_settled_state", prediction, _settled_h(), SETTLED_PREDICTIONS,
        generic_hint="Work out the gates and the candidate of this cell first (they "
        "are the same at every step), then follow the cell state for a few steps.",
        generic_fix=SETTLED_FIX, hint=hint,
    )


#: Sizes (T, D, H, N) and the chunk length of the chunked runs: a last chunk that
#: is shorter, chunks of one step, a chunk longer than the sequence.
CHUNKED = [(7, 2, 2, 1, 3), (6, 3, 2, 1, 2), (5, 1, 1, 1, 1), (4, 2, 2, 3, 10),
           (8, 2, 2, 2, 4)]


def _chunk_cases():
    cases = []
    for k, (T, D, H, N, chunk) in enumerate(CHUNKED):
        rng = np.random.default_rng(860 + k)
        W, b = init_fused(D, H, seed=870 + k)
        b = b + rng.uniform(-1, 1, b.shape)  # biases away from 0, as in the other cases
        xs = rng.standard_normal((T, D, N))
        cases.append(Case(f"T={T}, D={D}, H={H}, N={N}, chunks of {chunk}",
                          (xs, W, b, chunk)))
    return cases


def _in_chunks(xs, W, b, chunk):
    """The reference: every h_t of the sequence, run at once (chunks change nothing)."""
    return sequence.sequence_forward(xs, W, b)[0]


def _buggy_chunks(carry="hc", whole=True, join=np.concatenate, keep="all"):
    """A reader's chunked run with one slip.

    carry: the states passed from chunk to chunk ("hc", "h", "c" or "");
    whole: run the last, shorter chunk too; join: how the chunks' hs are put
    together; keep: return "all" the chunks or the "last" one.
    """

    def run(xs, W, b, chunk):
        stop = len(xs) if whole else len(xs) - len(xs) % chunk
        h = c = None
        pieces = []
        for start in range(0, stop, chunk):
            hs, (h_end, c_end), _ = sequence.sequence_forward(
                xs[start:start + chunk], W, b, h0=h, c0=c)
            h = h_end if "h" in carry else None
            c = c_end if "c" in carry else None
            pieces.append(hs)
        return pieces[-1] if keep == "last" else join(pieces)

    return run


#: The fix of every state slip between chunks.
CHUNK_FIX = ("hs, (h, c), _ = sequence_forward(xs[start:start + chunk], W, b, h0=h, "
             "c0=c), with h = c = None before the loop")

CHUNK_MISTAKES = [
    Mistake(
        "c not carried between chunks",
        "The bug is still there: each chunk starts from a fresh cell state, so the "
        "memory is lost at every chunk boundary.",
        "Pass both states on: " + CHUNK_FIX + ".",
        _buggy_chunks(carry="h"),
    ),
    Mistake(
        "state not carried between chunks",
        "Each chunk starts from zero states: the next chunk must go on from where the "
        "previous one stopped.",
        "Keep the final (h, c) of each chunk for the next one: " + CHUNK_FIX + ".",
        _buggy_chunks(carry=""),
    ),
    Mistake(
        "h not carried between chunks",
        "The cell state is passed on, but each chunk starts from a fresh hidden state.",
        "Pass h0=h as well as c0=c: " + CHUNK_FIX + ".",
        _buggy_chunks(carry="c"),
    ),
    Mistake(
        "last, shorter chunk left out",
        "When T is not a multiple of the chunk length the last chunk is shorter, and "
        "your loop leaves it out.",
        "for start in range(0, len(xs), chunk): the slice xs[start:start + chunk] is "
        "simply shorter at the end.",
        _buggy_chunks(whole=False),
    ),
    Mistake(
        "chunks not joined along time",
        "Each chunk gives hidden states of shape (its length, H, N): join them end to "
        "end along the time axis, the first one.",
        "np.concatenate(pieces) joins along axis 0; np.stack adds an axis and "
        "np.hstack joins along axis 1.",
        _buggy_chunks(join=np.stack),
        variants=(_buggy_chunks(join=np.hstack),),
    ),
    Mistake(
        "last chunk only",
        "You return the hidden states of the last chunk only; the function returns "
        "every h_t of the sequence.",
        "Collect each chunk's hs in a list and return np.concatenate(pieces).",
        _buggy_chunks(keep="last"),
    ),
]


def check_in_chunks(in_chunks, hint=1):
    """Check ``in_chunks(xs, W, b, chunk) -> hs`` (T, H, N): a sequence run ``chunk``
    steps at a time gives every h_t of the sequence run at once."""
    return run_check(
        "check_in_chunks", in_chunks, _in_chunks, _chunk_cases(), CHUNK_MISTAKES,
        generic_hint="Run the whole sequence at once with sequence_forward and compare "
        "its hidden states with yours, chunk by chunk: where do they start to differ?",
        generic_fix="h = c = None; for start in range(0, len(xs), chunk): hs, (h, c), "
        "_ = sequence_forward(xs[start:start + chunk], W, b, h0=h, c0=c); "
        "pieces.append(hs); then return np.concatenate(pieces).",
        outputs=("hs",), hint=hint,
    )
