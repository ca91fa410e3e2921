package io.sluice.log;

/**
 * The partition was taken offline because its files are damaged in a way recovery must not repair
 * silently (for example a corrupt batch inside a closed segment). Other partitions keep working.
 */
public class PartitionOfflineException extends LogException {

    public PartitionOfflineException(String message) {
        super(message);
    }
}
