"""The live exercise console: a small local web app for the facilitator, the room and the loggists.

``standby exercise serve`` runs it (:mod:`.serve`). :mod:`.service` is what the console does,
callable from Python without a browser; :mod:`.app` is its web face (Starlette, Jinja2 with
autoescaping, a small script and stylesheet shipped in the package, nothing from the
internet); :mod:`.security` the access code and the cross-site request checks. Everything
the room does is a record in the exercise log (:mod:`reports.exercise_log`).
"""
