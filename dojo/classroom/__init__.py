"""The instructor's tools for GitHub Classroom (`python -m dojo classroom|grade|release|
grade-submissions|merge-grades`).

  workflow.py     the Classroom workflow and the legacy autograding.json, generated from the catalog
  workflow_file.py  reading the committed workflow back (the subset of YAML workflow.py writes)
  actions.py      the command grader and the reporter, simulated as the real actions behave
  grading.py      `grade`: the committed workflow's steps run here, the reporter's points
  release.py      `release`: the student template (stubs, no solutions), protected paths
  submissions.py  `grade-submissions`, `merge-grades`: a class, in the sandbox, into a CSV
  sandbox.py      the bubblewrap sandbox a student's run goes into
  class_bench.py  `make bench-grading`: students an hour on a synthetic class

None imports TensorFlow: the verbs that only write or check files answer at once.
"""
