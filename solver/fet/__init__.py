"""FET (.fet) files: reader, extra rules, independent checks and a solve entry point.

FET is the free timetabler many schools use. :mod:`solver.fet.reader` turns a .fet file into
a :class:`solver.instance.Instance` plus the FET rules the instance cannot express (minimum
days between activities, same starting time, gap and early-start limits);
:mod:`solver.fet.model` adds those rules to the CP model, :mod:`solver.fet.check` rechecks
them from a finished timetable without sharing code with the model, and
:func:`solver.fet.run.solve_fet_file` ties it together for ``python -m solver solve``.
"""
