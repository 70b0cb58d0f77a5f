"""The turn-taking rules, pure and synchronous: told what was heard, they answer with actions.

No asyncio, threads or models. The shell (assistant/core/duplex.py) tells the rules about onsets,
segment versions, verdicts and ticks, and carries out the actions they return (mic-timeline times).

The rules, as the README states them:
- Speech while the assistant talks: duck at the onset (the shell holds the playout in its place,
  or lowers it: `duck_mode`), TTS waits for the verdict (`tts_hold_s`).
- A `noise`/`side` verdict while the speech goes on softens (plays on lower, `talk_over_db`): never
  back at full volume before the utterance is judged whole (a tentative end of soft talk is not its
  end; talk going on after a held one's is softened again); `say_again_after_s` after its final the volume
  comes back (the shell says again what played softly; speech beginning meanwhile holds it again), and
  the final is ignored with its reason. A verdict lifts
  only its own segment's hold. No verdict within `duck_max_s` also softens, for at most SOFT_MAX_S.
- A `query` below `barge_in_min_p_query` stays ducked (the next verdict decides, or the duck
  times out after `duck_max_s`); on the final it is ignored as "unsure". So is a query whose speech
  ended shorter than `barge_in_min_query_ms` (its own echo's bits), unless its words ask to stop.
- A confident `query` partial pauses the answer (`confirm_on_final`): silent, kept, until the
  speech stops; the verdict at the tentative end or the final resumes it unless it is a query
  (which then needs only `barge_in_paused_min_p_query`).
- A query on the final (or on a partial without `confirm_on_final`) interrupts the answer (the
  history keeps what was heard), swaps the replicas and answers.
- While idle: partials are read ahead into the next generator (`read_min_speech_ms`); a tentative
  end is judged at once; the answer is drafted (held) as soon as its words are known, before the
  verdict (`draft_before_verdict`), and dropped unless the verdict is `query`; the final releases
  it when no speech came after, or drops it and judges the whole segment again. A tentative end
  whose words sound unfinished waits `unfinished_hangover_ms` of silence for the rest.
- A segment that began over the assistant's speech is judged as a barge-in even if the answer has
  ended meanwhile; one that began within `followup_window_s` after it is judged leaning to query,
  and is checked for the assistant's own words only within ECHO_TAIL_S of them. One that began
  within `exchange_window_s` after other speech ended, the assistant silent since, is judged with
  that speech at hand (`after_voice`): another voice answering it is people talking to each other;
  if that speech itself answered speech before it, or was said to someone else (judged `side`, or
  naming someone else), people are in a conversation (`conversation`): "老李，明天几点开会？" "上午九点。"
  Over a playing answer the same holds for speech that began within `exchange_window_s` after other talk
  over it ended (judged not for the assistant, TAKEN_UP_MIN_S of speech or more: its own echo's bits are
  shorter): "Where are my keys?" "Under the map." does not cut the answer.
- A question another voice takes up (`taken_up_withdraws`): when speech begins within
  `exchange_window_s` after a query ended, its answer is not released until that speech's voice is
  known (its first partial of `barge_in_min_speech_ms`, judged for the voice alone); if the answer
  is already playing, the speech is judged as a barge-in with the question at hand. If it is another
  voice at the question's level (and, over a playing answer, not a query itself), the question was
  for that person: the answer is let go (cut if playing) and the question leaves the history; if the
  question had cut an answer (a barge-in), that answer's rest is said, from the sentence it was cut in.
- A lone question nobody answered (`lone_ask_back_s`): an idle turn shaped like a question or a request,
  judged not for the assistant (p ≤ `lone_max_p`), with no other speech (nor the assistant's) `lone_quiet_s` before it, naming
  no one, and no speech for `lone_ask_back_s` after it, is asked back ("Sorry, were you asking me?"):
  a far talker the monitor calls `side`. People take turns sooner; a TV talks on.
- An idle segment of sound with no pause at all for max_segment_ms (`capped`: closed by the
  segmenter's cap, or going on from one without a pause) is babble or a TV, not a turn: ignored as
  ENDLESS, its drafts dropped (`ignore_endless`).
"""

from assistant.core.turns.state import SOFT_MAX_S
from assistant.core.turns.taker import TurnTaker

__all__ = ["SOFT_MAX_S", "TurnTaker"]
