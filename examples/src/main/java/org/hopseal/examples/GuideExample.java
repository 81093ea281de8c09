package org.hopseal.examples;

/**
 * One of the guide's examples, as {@code hopseal example} lists and runs it.
 *
 * @param name the class's simple name, by which {@code hopseal example NAME} runs it
 * @param arguments what it takes ({@code [HOST:PORT]}), or empty
 * @param summary what it does, in one line
 * @param main its {@code main}
 */
public record GuideExample(String name, String arguments, String summary, Main main) {
    /** An example's {@code main} method. */
    @FunctionalInterface
    public interface Main {
        void run(String[] args) throws Exception;
    }
}
