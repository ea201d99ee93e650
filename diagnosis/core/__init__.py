from diagnosis.core import native

native.install()
