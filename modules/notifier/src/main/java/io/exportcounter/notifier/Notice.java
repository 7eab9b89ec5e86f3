package io.exportcounter.notifier;

/**
 * The press notice of one milestone event, ready to send: the English and Korean texts, an e-mail
 * subject and a footer per language (what the milestone is, that figures are provisional).
 */
public record Notice(String en, String ko, String subject, String footerEn, String footerKo) {

    /** The plain-text e-mail body: English, then Korean, then the footers. */
    public String plainText() {
        return en + "\n\n" + ko + "\n\n-- \n" + footerEn + "\n" + footerKo + "\n";
    }

    /** The HTML e-mail body: the same text, each language tagged so readers pick the right fonts. */
    public String html() {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"UTF-8\"><title>" + escape(subject) + "</title></head>\n"
                + "<body style=\"font-family:sans-serif\">\n"
                + "<p lang=\"en\" style=\"font-size:16px\">" + escape(en) + "</p>\n"
                + "<p lang=\"ko\" style=\"font-size:16px\">" + escape(ko) + "</p>\n"
                + "<hr>\n<p lang=\"en\" style=\"color:#555;font-size:12px\">" + escape(footerEn) + "</p>\n"
                + "<p lang=\"ko\" style=\"color:#555;font-size:12px\">" + escape(footerKo) + "</p>\n"
                + "</body></html>\n";
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
