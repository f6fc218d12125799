package dev.llmlab.gateway.tenants;

/** An admin request that cannot be done, with the status the admin API answers it with. */
public final class AdminException extends RuntimeException {
    private final int status;

    public AdminException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** 400 (bad input), 404 (no such key or team), 409 (a name in use) or 503 (the database is down). */
    public int status() {
        return status;
    }

    static AdminException notFound(String what) {
        return new AdminException(404, what);
    }

    static AdminException conflict(String what) {
        return new AdminException(409, what);
    }
}
