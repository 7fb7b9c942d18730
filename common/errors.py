class ServiceError(Exception):
    """A business rule refused an action; `message` is shown to the user as is (Chinese)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)
