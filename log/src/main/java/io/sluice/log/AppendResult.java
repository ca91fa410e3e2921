package io.sluice.log;

/** Offsets given to an appended batch of records; acknowledged per the topic's flush policy. */
public record AppendResult(long baseOffset, long lastOffset) {

    public int count() {
        return (int) (lastOffset - baseOffset + 1);
    }
}
