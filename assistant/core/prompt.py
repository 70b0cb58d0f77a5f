"""The replicas' shared prompt: Qwen2.5's ChatML, with the state token read after the user's turn.

Both replicas render the same conversation prefix (system + history + the user's new turn).
The monitor appends a one-line request for a state token and reads the model's distribution
over the three state words as its first output token (VITA reads `<1>/<2>/<3>` the same way).
The generator appends the assistant header instead, so a monitor that decides `query` has
already cached everything the generator needs when the roles swap.

(Putting the state token at the start of each reply, VITA's exact layout, made the untrained
0.5B model echo the question instead of answering it, so the request is a separate turn.)
"""

from __future__ import annotations

from dataclasses import dataclass

SYSTEM = (
    "You are Duplex, a friendly voice assistant that people talk to out loud. "
    "Your replies are spoken, so use plain words, no lists, no markdown. "
    "Answer questions in one to three short sentences. "
    "When asked for a story, a description or an explanation, give it gladly in a few sentences more. "
    "Speech is transcribed and may have wrong words: guess what was meant. "
    "If a reply of yours ends with '…', the user cut you off there; answer their new turn."
)
# Only for the untrained LM judge ([models] monitor = "lm"): with these rules in the system prompt
# the 0.5B refused 2 of 18 story requests ("I'm sorry, but I can't assist with that."), 0 of 18
# without them, so replicas read them only when the LM itself produces the verdicts.
STATE_RULES = (
    " When asked for a state token, you judge the user's last turn, which may be cut off "
    "mid-sentence, with one word: query if it asks you something or tells you to do or stop "
    "something (questions, commands, 'wait', 'stop'); side if it is a remark or chat between "
    "people around you that does not ask you anything; noise if it is not speech or only filler words."
)
CAMERA_RULES = (
    " You have a camera. A user turn may begin with a line [camera: …] saying what your camera's "
    "detectors found just now. Answer questions about what you see only from that line: name what it "
    "lists, count from it, read out its text. If it does not list the thing asked about, say you "
    "cannot see one. Never make up what you see."
)
DOCUMENT_RULES = (
    " A user turn may begin with a line [document NAME: …]: the passage of the service's own documents "
    "found for that question. Answer from that passage only, in one or two sentences, giving its numbers, "
    "places and fees exactly as written. If it does not answer the question, say you do not know and "
    "suggest asking at the information desk."
)
LANGUAGE_RULES = (
    " You understand Mandarin Chinese and English. Answer in the language of the user's last turn: "
    "in Simplified Chinese (简体中文) when the user speaks Chinese, in English when the user speaks English. "
    "In Chinese, write numbers as digits and keep your answer to one to three short sentences."
)
JUDGE_REQUEST = "State token for the user's last turn?"
STOP = ("<|im_end|>", "<|endoftext|>", "<|im_start|>")


@dataclass
class Turn:
    role: str  # "user" or "assistant"
    text: str
    reply: int = -1  # reply id for assistant turns


def _block(role: str, text: str) -> str:
    return f"<|im_start|>{role}\n{text}<|im_end|>\n"


def system_prompt(lm_judge: bool = False, camera: bool = False, documents: bool = False, bilingual: bool = False) -> str:
    return (SYSTEM + (STATE_RULES if lm_judge else "") + (CAMERA_RULES if camera else "")
            + (DOCUMENT_RULES if documents else "") + (LANGUAGE_RULES if bilingual else ""))


def with_camera(text: str, seen: str) -> str:
    """A user turn with what the camera saw when it was said (`seen` from assistant/core/scene_words.py)."""
    return f"[{seen}]\n{text}"


def with_reference(text: str, source: str, passage: str) -> str:
    """A user turn with the one reference passage that covers it (assistant/tools/passages.py). Inline, no rule in
    the system prompt: the 0.5B answers from it as it is ("the largest mammal is the elephant" → "the blue whale")."""
    return f"[reference {source}: {passage}]\n{text}"


def with_document(text: str, source: str, passage: str) -> str:
    """A user turn with the passage of the operator's documents found for it."""
    return f"[document {source}: {passage}]\n{text}"


def render(history: list[Turn], system: str = SYSTEM) -> str:
    """ChatML of the system prompt and every turn: the prefix both replicas share."""
    return _block("system", system) + "".join(_block(t.role, t.text) for t in history)


def judge_prompt(history: list[Turn], camera: bool = False) -> str:
    """The LM judge's request: the state token as the first word of the reply."""
    return render(history, system_prompt(True, camera)) + _block("system", JUDGE_REQUEST) + "<|im_start|>assistant\n"


def answer_prompt(history: list[Turn], system: str = SYSTEM) -> str:
    return render(history, system) + "<|im_start|>assistant\n"
