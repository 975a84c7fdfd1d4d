"""The authorization matrix's parts: the expectations file's reader, the world it runs in
(two teams, canaries, consent states), the addresses it fills in, the forms it posts, the
database snapshots that prove a denied request changed nothing, and the engine."""
