"""A timed practice quiz on freezing layers, where a live experiment proves every answer.

    python -m dojo quiz [--set warm-up | practice | all] [--seed N] [--questions 1,4,7 | 5]
                        [--time-limit S] [--answers B,C,T,...] [--answer-key] [--no-proof]
                        [--no-color] [--list]

The questions are data (quiz.toml, here); each names a proof function of proofs.py (here), a
small experiment run on the installed TensorFlow/Keras after the question. TensorFlow is imported
only when the first proof runs, so the quiz starts at once.

Sets: `warm-up` (the default) asks the quiz's own questions in a shuffled order; `practice` asks
the five challenges of the practice set "Freezing and unfreezing layers in TensorFlow", in that
set's order; `all` asks both, shuffled together.

Rules:

* Choices A-D, two attempts per question. Each attempt has the question's time limit (or
  --time-limit), counted down on screen. Running out of time counts as a wrong attempt: the hint
  follows and the second attempt gets a full time limit again.
* After the first wrong attempt the hint is shown; after the question, the explanation and the
  proof (skipped with --no-proof).
* Score: 2 points for a right first attempt, 1 for a right second attempt. The "Freezing Master"
  badge goes to a completed run (any number of questions) with every question right at the
  first attempt, i.e. full points.
* Order: shuffled (the practice set keeps its own order), and so are each question's choices:
  in every run each letter is the right one for about a quarter of the questions. --seed N fixes
  both; every run prints the seed it used, to replay it. --questions takes a count (the first N of
  that order) or a comma list of question numbers or ids of the set, asked in the order given:
  `--questions 5` asks five questions, `--questions 5,` or `--questions <id>` asks question 5
  only. --list shows the numbers and ids.
* --seed N --answer-key prints, for instructors and scripts, one line per question of that run:
  its id and the letter that is right in that run. A normal run never shows a question's answer
  before it has been answered.
* In a terminal, one key answers (A-D), q stops. With input from a pipe, one answer per line.
* --answers B,C,T,... answers without reading input (scripts, tests): each letter is one
  attempt, used in order, so after a wrong first letter the next letter is that question's
  second attempt. T (or -) lets that attempt run out of time: it really waits, so combine it with
  a short --time-limit.
* Ctrl-C stops at once and prints the score so far.

Exit status: 0 the run was completed (whatever the score), 1 stopped early (q or end of input),
2 a usage error, a broken quiz file, or --answers ran out, 130 interrupted with Ctrl-C.

The package: questions.py (the quiz file, its checks, a run's plan and shuffled choices),
answers.py (where answers come from: keys, lines, a script), screen.py (what is shown),
session.py (one run, its proofs and score; the `quiz` verb), proofs.py (the experiments).
"""
