"""The terminal quiz: a library flow (QuizSession) behind one prompter seam.

``session`` holds the flow, ``prompter`` the interface and the scripted test prompter,
``terminal`` the questionary front end, ``plain`` the line-based one, ``render`` the text.
"""
