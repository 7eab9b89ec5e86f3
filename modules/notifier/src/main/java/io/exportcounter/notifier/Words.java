package io.exportcounter.notifier;

/**
 * Small numbers in words, as a press office writes them: "seven years after", "the sixth consecutive
 * month", "through the third quarter". Words for one to ten (ordinals to twelfth), digits beyond.
 */
final class Words {
    private static final String[] CARDINALS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten"};
    private static final String[] ORDINALS = {"zeroth", "first", "second", "third", "fourth", "fifth", "sixth",
            "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth"};

    private Words() {
    }

    /** {@code seven}, {@code ten}, {@code 11}. */
    static String cardinal(long n) {
        return n >= 0 && n < CARDINALS.length ? CARDINALS[(int) n] : Long.toString(n);
    }

    /** {@code second}, {@code twelfth}, {@code 13th}, {@code 21st}, {@code 22nd}, {@code 111th}. */
    static String ordinal(long n) {
        if (n >= 0 && n < ORDINALS.length) {
            return ORDINALS[(int) n];
        }
        long lastTwo = Math.abs(n) % 100;
        long last = Math.abs(n) % 10;
        String suffix = lastTwo >= 11 && lastTwo <= 13 ? "th" : last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd" : "th";
        return n + suffix;
    }

    /** A span of years: {@code a year}, {@code seven years}, {@code 14 years}. */
    static String years(long n) {
        return n == 1 ? "a year" : cardinal(n) + " years";
    }
}
