"""The turn policy of a profile (`[policy]` in configs/<name>.toml): the bars, windows and log-odds the
turn rules (core/turns/) and the shell read. Frozen; loaded with the rest of the profile (options.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PolicyOptions:
    barge_in_min_speech_ms: int = 300  # ms of user speech before a partial segment may interrupt
    barge_in_min_p_query: float = 0.8  # p(query) a verdict needs to interrupt the assistant while it speaks
    # ms of speech a query over the answer needs (unless its words ask it to stop: core/stop_words.py); shorter
    # it is unsure. Bits of its own echo past the canceller were 0.20–0.54 s (judged query at 0.81–0.89 over a
    # slipping 0 dB echo), every real barge-in on the echo bench 1.8 s or more
    barge_in_min_query_ms: int = 500
    # p(query) an idle segment's verdict needs to be answered; below it (leaning to query, not sure) it is
    # ignored as "unsure": on real meetings near the idle assistant the false answers came at 0.44–0.59,
    # real people's orders at 0.74 and more (make bench-people)
    idle_min_p_query: float = 0.6
    # ... and this much while people have been talking nearby: `talk_segments` idle segments ignored as side
    # talk (or unsure) within `talk_window_s` before the speech began (someone who then turns to the
    # assistant asks it clearly; a meeting's next remark reads as a request now and then)
    talk_min_p_query: float = 0.8
    talk_window_s: float = 20.0
    talk_segments: int = 3
    # p(query) a query verdict needs once a confident partial paused the answer ("can we talk about
    # something else?" at 0.95, then the whole "…, what is two plus two?" at 0.65 was ignored as
    # unsure). At 0.5 the scene bench's side talk during an answer was interrupted and answered in
    # 2 of 10 scenes (it paused on a partial, then its whole passed 0.5): kept at the barge-in bar
    barge_in_paused_min_p_query: float = 0.8
    max_reply_tokens: int = 120  # tokens per answer
    read_partials: bool = True  # while idle, read the user's words into the generator as they come
    read_min_speech_ms: int = 600  # ms of speech before a partial is worth reading
    draft_before_verdict: bool = True  # while idle, start the answer as soon as the words are known
    unfinished_hangover_ms: int = 1200  # ms of silence that end a sentence whose words sound unfinished
    first_clause_words: int = 4  # words before a comma or a joining word ("in", "of", …) may end the first TTS clause
    temperature: float = 0.3  # sampling temperature of answers
    tts_hold_s: float = 1.5  # s TTS pauses at a barge-in onset (playout goes on) until the verdict
    # dB playout gain from a speech onset while talking until the verdict (at -30 dB the loud
    # passages of an answer, ~-13 dBFS, stayed above the -45 dBFS "audible" line of the bench)
    duck_db: float = -40.0
    duck_max_s: float = 1.5  # s; with no verdict by then the answer plays on (softly while the speech goes on)
    # "hold": at a speech onset over the answer the playout stops and keeps its place, and resumes
    # `resume_rewind_ms` back (the word talked over is said again): the listener loses no word.
    # "duck": it plays on at `duck_db` (words under the duck are lost)
    duck_mode: str = "hold"
    resume_rewind_ms: int = 300
    # dB: speech over the answer that is judged not a query while it goes on: the answer plays on
    # this much lower (heard, and never back at full volume before the utterance is judged whole)
    talk_over_db: float = -10.0
    # s: when that speech ends, the clause it began over and those played softly since are said again at
    # full volume (the latest of them, up to this much): the listener loses no word to the talk. 0: go on
    say_again_max_s: float = 12.0
    # s it stays soft after such speech's final (segments split inside one long talk; another person may answer):
    # speech beginning meanwhile holds it again, and what played softly is said again only after
    say_again_after_s: float = 0.6
    # a barge-in that cut the answer, then taken up by another voice (people talking to each other): the cut
    # answer's rest is said ("As I was saying, …"), from the sentence it was cut in
    resume_cut_answer: bool = True
    # an idle user who speaks within `followup_window_s` of the end of an answer is likely to follow
    # it up ("and how tall is it?"): `followup_log_odds` is added to p(query), like a face looking
    followup_window_s: float = 8.0
    followup_log_odds: float = 1.5
    # words that ask nothing (thanks, "okay", fillers alone: assistant/core/backchannel.py) from an idle user
    # outside that window subtract this from p(query)'s log-odds: people say them to each other
    backchannel_log_odds: float = 3.0
    # words that refer back to the last answer ("and its population?", "why?", "could you repeat that?":
    # assistant/core/refers_back.py) said within `followup_window_s` add this to p(query)'s log-odds
    refers_back_log_odds: float = 2.0
    # a turn judged for the assistant whose transcript Whisper was unsure of (mean token log-probability
    # below this) or that stops on a word needing more ("what is the") is asked back, not answered
    # (assistant/core/unclear.py); -inf: never ask back
    ask_back_min_logprob: float = -0.7
    # ... and only when p(query) reaches this ("most likely for the assistant"): below it such a turn is
    # ignored as `unsure` (a radio's one caught word is not asked back about)
    ask_back_min_p_query: float = 0.8
    # ... and a query verdict below that p is answered only when Whisper was at least this sure of the English
    # words (else `unsure`, left to the lone-question rule): a guess at words and a guess at whom they were for
    # answer the wrong question (bench-rooms, tune half: "Not yet, I'll do it now. How many miles is going to go
    # on" at p 0.67 / −0.69, "We channel is no matter the king of the jungle." at 0.76 / −0.55; real people's
    # orders over real noise are heard at −0.48 or better, and judged at 0.9 or more)
    unsure_min_logprob: float = -0.5
    # a lone turn shaped like a question or a request (assistant/core/asks.py) not judged for the assistant —
    # no other speech `lone_quiet_s` before it, nobody answering it for `lone_ask_back_s` after, naming no one —
    # is a person who asked and waits (a far talker the monitor calls `side`: people take turns within a
    # second or two, a TV talks on): asked back ("were you asking me?") instead of silence — unless the
    # monitor was sure (its verdict's p above `lone_max_p`: "did you feed the dog?" at 0.9). 0 s: never
    lone_ask_back_s: float = 2.0
    lone_quiet_s: float = 4.0
    lone_max_p: float = 0.75
    # words that name someone else as their addressee ("Sam, when does your train leave?") subtract
    # this from p(query)'s log-odds, words that name the assistant ("Duplex, …") add it
    addressee_log_odds: float = 3.0
    # speech that begins within `exchange_window_s` after other speech ended (the assistant silent
    # since) in another voice (a speaker d-vector) is a reply between people: minus `exchange_log_odds`
    exchange_window_s: float = 2.0
    exchange_log_odds: float = 2.0
    # and this much more once that other speech itself answered speech before it (a conversation of
    # three turns or more between voices: "Mia, what did the doctor say?" "Rest for a week." "That's a relief.")
    conversation_log_odds: float = 2.0
    # log-odds subtracted from p(query) of speech in none of the enrolled voices, once someone has
    # enrolled (`enrol_speaker`): the cockpit serves its driver, not the passengers; a query still judged in such
    # a voice is ignored all the same ("not an enrolled voice": the turn rules). 0 = no gate
    speaker_gate_log_odds: float = 0.0
    # a question that another voice takes up (at its level, within `exchange_window_s`, not a query
    # itself) was asked of that person: its answer is held back until the reply's voice is known, and
    # let go (or cut, if already playing) — "Dad, how much was the petrol?" "About fifty pounds."
    taken_up_withdraws: bool = True
    # an idle segment with no pause at all until the segmenter's cap (max_segment_ms) is babble or a
    # TV going on, not a turn: ignored ("endless")
    ignore_endless: bool = True
    confirm_on_final: bool = True  # a confident `query` partial pauses the answer (kept, silent);
    # the whole utterance's verdict then interrupts it, or resumes it where it paused


    def __post_init__(self) -> None:
        if self.duck_mode not in ("hold", "duck"):
            raise ValueError(f"duck_mode must be hold or duck, got {self.duck_mode!r}")
