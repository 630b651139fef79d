"""Fake ``maya.mel``: not used by the bridge; present because ``import maya.mel`` must work."""


def eval(mel_source):
    raise NotImplementedError("the fake does not run MEL")
