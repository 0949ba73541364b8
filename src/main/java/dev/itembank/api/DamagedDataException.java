package dev.itembank.api;

/**
 * Stored data that does not match what was written (rows missing, a checksum that differs, PostgreSQL reporting a
 * damaged page): never served or built on. The answer is a 500 problem naming what is damaged, and readiness goes
 * DOWN ({@link DamagedDataDetected}) until an operator restores the data and restarts the service.
 */
public class DamagedDataException extends RuntimeException {

    private final String what;

    /**
     * @param what the damaged thing as a client names it ({@code wmdp/versions/1})
     * @param detail what was found
     */
    public DamagedDataException(String what, String detail) {
        super("The stored data of " + what + " is damaged (" + detail + "); it is not served. Restore the database "
                + "from a backup; the service reports itself not ready meanwhile.");
        this.what = what;
    }

    public String what() {
        return what;
    }

    /** Published when damaged data is found, so that readiness reports it. */
    public record DamagedDataDetected(String what, String detail) {
    }
}
