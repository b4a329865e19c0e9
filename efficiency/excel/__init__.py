"""Excel in and out: the office's own sheets, previewed, validated row by row, all-or-nothing.

* :mod:`.layouts` — each sheet's Chinese columns, fixed values and 填写说明 text;
* :mod:`.cleaners` — cell values as offices type them (dates, 工号, separators, spaces);
* :mod:`.reader` — safe reading of .xlsx and CSV, and the header finder;
* :mod:`.engine` — preview, then one transaction that writes every row or none;
* :mod:`.roster`, :mod:`.incidents`, :mod:`.scores` — each sheet's rules and writes;
* :mod:`.writer`, :mod:`.exports` — formatted workbooks out; :mod:`.access` — who may do what.

Why not django-import-export's resources: measured in 4.4.3 (see the shared FACTS.md), a row
with an error is skipped while the others are committed, its widget and lookup errors are
English and generic, its per-row save path costs about 3 ms a row and its bulk mode drops
errors and history; its formula escaping turns numbers into text. Each sheet here must write
through the services (history, period rules) and the scores sheet turns one row into several
``score_save`` calls, so the engine is our own and small; openpyxl reads, xlsxwriter writes
(see :mod:`.writer` for the speed measurement behind that).
"""
