"""Every change of state of meetings and trainings: ``meetings`` and ``trainings``."""
