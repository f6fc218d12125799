package dev.llmlab.jsonschema;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * A small built-in vocabulary for natural-looking values: English words, names, places, and a few property-name
 * heuristics (a {@code city} gets a city, an {@code email} an address, an {@code age} a plausible age). Everything
 * here is a suggestion the generator checks against the schema; correctness never depends on it.
 */
final class Words {

    private Words() {}

    static final String[] NOUNS = {
        "apple",
        "river",
        "garden",
        "window",
        "market",
        "signal",
        "planet",
        "forest",
        "bridge",
        "camera",
        "letter",
        "engine",
        "island",
        "orange",
        "pencil",
        "rocket",
        "silver",
        "summer",
        "ticket",
        "valley",
        "winter",
        "basket",
        "castle",
        "dinner",
        "family",
        "harbor",
        "jacket",
        "kitten",
        "ladder",
        "meadow",
        "number",
        "office",
        "pepper",
        "record",
        "season",
        "tunnel",
        "voyage",
        "wallet",
        "yellow",
        "anchor",
        "badge",
        "cloud",
        "dream",
        "field",
        "glass",
        "house",
        "image",
        "juice",
        "lemon",
        "music",
        "night",
        "ocean",
        "paper",
        "queen",
        "radio",
        "stone",
        "table",
        "train",
        "water",
        "world",
        "story",
        "light",
        "point",
        "order",
        "event",
        "report",
        "project",
        "task",
        "note",
        "team",
        "city",
        "road",
        "book",
        "song",
        "game",
        "plan",
        "idea",
        "item",
        "list",
        "map",
        "key",
        "box",
        "door",
        "tree",
        "star",
        "moon",
        "sun",
        "rain",
        "snow",
        "wind",
        "fire",
        "coffee",
        "tea",
        "bread",
        "cheese",
        "garage",
        "studio",
        "library",
        "museum",
        "theater",
        "station",
        "airport",
        "hotel",
        "school",
        "forecast",
        "weather",
        "invoice",
        "customer",
        "product",
        "account",
        "message",
        "channel",
        "budget",
        "meeting",
        "harvest"
    };

    static final String[] ADJECTIVES = {
        "quick", "bright", "calm", "clever", "gentle", "happy", "quiet", "brave", "early", "fresh", "golden", "green",
        "little", "modern", "simple", "smooth", "sunny", "warm", "wild", "young", "blue", "red", "new", "old", "small",
        "large", "daily", "final", "public", "local", "short", "long", "clear", "cool", "dark", "soft", "rapid", "rare"
    };

    static final String[] VERBS = {
        "runs", "opens", "brings", "carries", "finds", "holds", "keeps", "makes", "moves", "shows", "takes", "builds",
        "checks", "covers", "follows", "helps", "starts", "turns", "writes", "reads", "sends", "tracks", "shares"
    };

    /** All words, for regex-driven generation that wants a dictionary word of some length. */
    static final String[] WORDS = concat(NOUNS, ADJECTIVES, VERBS);

    static final String[] FIRST_NAMES = {
        "Alice", "Bob", "Carol", "David", "Emma", "Frank", "Grace", "Henry", "Irene", "James", "Karen", "Liam", "Maria",
        "Noah", "Olivia", "Peter", "Rosa", "Samuel", "Tara", "Victor"
    };

    static final String[] LAST_NAMES = {
        "Smith",
        "Johnson",
        "Garcia",
        "Miller",
        "Davis",
        "Martin",
        "Lopez",
        "Wilson",
        "Anderson",
        "Taylor",
        "Moore",
        "Jackson",
        "Lee",
        "Walker",
        "Young",
        "King",
        "Wright",
        "Scott",
        "Green",
        "Baker"
    };

    static final String[] CITIES = {
        "Paris", "Tokyo", "London", "Berlin", "Madrid", "Rome", "Toronto", "Sydney", "Boston", "Chicago", "Seattle",
        "Denver", "Austin", "Lisbon", "Vienna", "Prague", "Dublin", "Oslo", "Seoul", "Mumbai"
    };

    static final String[] PLACES = {
        "San Francisco, CA",
        "Boston, MA",
        "New York, NY",
        "Seattle, WA",
        "Austin, TX",
        "Chicago, IL",
        "Paris, France",
        "Tokyo, Japan",
        "London, UK",
        "Berlin, Germany",
        "Madrid, Spain",
        "Toronto, Canada",
        "Sydney, Australia",
        "Rome, Italy",
        "Lisbon, Portugal"
    };

    static final String[] COUNTRIES = {
        "France",
        "Japan",
        "Germany",
        "Spain",
        "Italy",
        "Canada",
        "Brazil",
        "Australia",
        "India",
        "Mexico",
        "Norway",
        "Portugal",
        "Ireland",
        "Kenya",
        "Chile"
    };

    static final String[] COLORS = {"red", "blue", "green", "yellow", "purple", "orange", "black", "white", "teal"};

    static final String[] LANGUAGES = {"English", "French", "Spanish", "German", "Japanese", "Portuguese", "Italian"};

    static final String[] CURRENCIES = {"USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF"};

    static final String[] DOMAINS = {"example.com", "example.org", "example.net", "mail.example.com"};

    static final String[] STREETS = {"Main St", "Oak Ave", "Maple Rd", "Park Blvd", "Cedar Ln", "Elm St", "Hill Rd"};

    static final String[] STATUSES = {"active", "pending", "completed", "open", "closed", "in_progress"};

    /** Plausible property names for free-form objects. */
    static final String[] KEYS = {
        "name",
        "title",
        "status",
        "count",
        "score",
        "summary",
        "tags",
        "active",
        "id",
        "city",
        "email",
        "price",
        "category",
        "description",
        "date",
        "rating",
        "items",
        "enabled",
        "url",
        "notes"
    };

    private static String[] concat(String[]... parts) {
        int n = 0;
        for (String[] p : parts) {
            n += p.length;
        }
        String[] r = new String[n];
        int i = 0;
        for (String[] p : parts) {
            System.arraycopy(p, 0, r, i, p.length);
            i += p.length;
        }
        return r;
    }

    static String pick(String[] words, RandomGenerator rng) {
        return words[rng.nextInt(words.length)];
    }

    static String email(RandomGenerator rng) {
        return (pick(FIRST_NAMES, rng) + "." + pick(LAST_NAMES, rng)).toLowerCase(Locale.ROOT) + "@"
                + pick(DOMAINS, rng);
    }

    static String url(RandomGenerator rng) {
        String u = "https://" + pick(DOMAINS, rng) + "/" + pick(NOUNS, rng);
        return rng.nextBoolean() ? u : u + "/" + pick(NOUNS, rng);
    }

    static String sentence(RandomGenerator rng) {
        StringBuilder sb = new StringBuilder();
        String adjective = pick(ADJECTIVES, rng);
        String object = pick(NOUNS, rng);
        sb.append(rng.nextBoolean() ? "The" : article(adjective, true))
                .append(' ')
                .append(adjective)
                .append(' ')
                .append(pick(NOUNS, rng))
                .append(' ')
                .append(pick(VERBS, rng))
                .append(' ')
                .append(rng.nextBoolean() ? "the" : article(object, false))
                .append(' ')
                .append(object);
        if (rng.nextBoolean()) {
            sb.append(" near the ").append(pick(NOUNS, rng));
        }
        return sb.append('.').toString();
    }

    private static String article(String next, boolean capital) {
        boolean vowel = "aeiou".indexOf(next.charAt(0)) >= 0;
        return capital ? (vowel ? "An" : "A") : (vowel ? "an" : "a");
    }

    static String phrase(RandomGenerator rng) {
        int n = 1 + rng.nextInt(3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(i == n - 1 ? pick(NOUNS, rng) : pick(ADJECTIVES, rng));
        }
        return sb.toString();
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String title(RandomGenerator rng) {
        return capitalize(pick(ADJECTIVES, rng)) + " " + capitalize(pick(NOUNS, rng))
                + (rng.nextBoolean() ? "" : " " + capitalize(pick(NOUNS, rng)));
    }

    /** Lower-case letters and digits only: "firstName", "first_name" and "First-Name" all become "firstname". */
    static String normalize(String name) {
        if (name == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }

    /** A value suggested by the property name, or null when the name says nothing useful. */
    static String hinted(String name, RandomGenerator rng) {
        String n = normalize(name);
        if (n.isEmpty()) {
            return null;
        }
        if (n.contains("email")) {
            return email(rng);
        }
        if (n.contains("url")
                || n.contains("uri")
                || n.contains("link")
                || n.contains("website")
                || n.equals("href")
                || n.contains("homepage")) {
            return url(rng);
        }
        if (n.contains("uuid") || n.contains("guid")) {
            return Formats.uuid(rng);
        }
        if (n.contains("city") || n.equals("town")) {
            return pick(CITIES, rng);
        }
        if (n.contains("location") || n.contains("place") || n.contains("destination") || n.equals("origin")) {
            return pick(PLACES, rng);
        }
        if (n.contains("address")) {
            return (100 + rng.nextInt(900)) + " " + pick(STREETS, rng) + ", " + pick(CITIES, rng);
        }
        if (n.contains("country")) {
            return pick(COUNTRIES, rng);
        }
        if (n.contains("colo")) {
            return pick(COLORS, rng);
        }
        if (n.contains("language") || n.equals("lang") || n.equals("locale")) {
            return pick(LANGUAGES, rng);
        }
        if (n.contains("currency")) {
            return pick(CURRENCIES, rng);
        }
        if (n.contains("phone") || n.contains("mobile")) {
            return "+1-555-01" + (10 + rng.nextInt(90));
        }
        if (n.contains("username") || n.equals("login") || n.equals("handle")) {
            return pick(FIRST_NAMES, rng).toLowerCase(Locale.ROOT) + (10 + rng.nextInt(90));
        }
        if (n.contains("firstname") || n.contains("givenname")) {
            return pick(FIRST_NAMES, rng);
        }
        if (n.contains("lastname") || n.contains("surname") || n.contains("familyname")) {
            return pick(LAST_NAMES, rng);
        }
        if (n.contains("filename") || n.equals("file") || n.equals("path")) {
            return pick(NOUNS, rng) + (rng.nextBoolean() ? ".txt" : ".pdf");
        }
        if (n.equals("name")
                || n.endsWith("fullname")
                || n.contains("author")
                || n.contains("customer")
                || n.contains("owner")
                || n.contains("person")
                || n.contains("assignee")
                || n.equals("user")) {
            return pick(FIRST_NAMES, rng) + " " + pick(LAST_NAMES, rng);
        }
        if (n.endsWith("name")
                || n.contains("title")
                || n.contains("subject")
                || n.contains("heading")
                || n.contains("label")) {
            return title(rng);
        }
        if (n.contains("description")
                || n.contains("summary")
                || n.contains("text")
                || n.contains("content")
                || n.contains("message")
                || n.contains("body")
                || n.contains("comment")
                || n.contains("reason")
                || n.contains("query")
                || n.contains("prompt")
                || n.contains("question")
                || n.contains("answer")
                || n.contains("note")
                || n.contains("detail")
                || n.contains("explanation")
                || n.contains("instruction")
                || n.contains("reasoning")
                || n.contains("step")) {
            return sentence(rng);
        }
        if (n.contains("date") || n.equals("day") || n.equals("birthday")) {
            return Formats.generate(Formats.Kind.DATE, rng);
        }
        if (n.equals("id") || n.endsWith("id")) {
            return pick(NOUNS, rng).substring(0, 3) + "_" + Long.toString(rng.nextLong(36L * 36 * 36 * 36 * 36), 36);
        }
        if (n.contains("status") || n.equals("state")) {
            return pick(STATUSES, rng);
        }
        if (n.contains("unit")) {
            return rng.nextBoolean() ? "celsius" : "fahrenheit";
        }
        if (n.contains("zip") || n.contains("postal")) {
            return String.format(Locale.ROOT, "%05d", rng.nextInt(100000));
        }
        if (n.startsWith("tag")
                || n.contains("keyword")
                || n.contains("category")
                || n.equals("type")
                || n.equals("kind")) {
            return pick(NOUNS, rng);
        }
        return null;
    }

    /**
     * A preferred [lo, hi] window and decimal places for a numeric property name, or null. Used only when it
     * intersects the schema's bounds.
     */
    static double[] numberWindow(String name) {
        String n = normalize(name);
        if (n.isEmpty()) {
            return null;
        }
        if (n.equals("age") || n.startsWith("ageyears")) {
            return new double[] {18, 80, 0};
        }
        if (n.contains("year")) {
            return new double[] {1990, 2026, 0};
        }
        if (n.contains("price")
                || n.contains("amount")
                || n.contains("cost")
                || n.contains("total")
                || n.contains("salary")
                || n.contains("balance")) {
            return new double[] {1, 500, 2};
        }
        if (n.equals("lat") || n.contains("latitude")) {
            return new double[] {-60, 70, 4};
        }
        if (n.equals("lon") || n.equals("lng") || n.contains("longitude")) {
            return new double[] {-180, 180, 4};
        }
        if (n.contains("temp")) {
            return new double[] {-10, 35, 1};
        }
        if (n.contains("percent")) {
            return new double[] {0, 100, 1};
        }
        if (n.contains("probability") || n.contains("confidence") || n.equals("weight")) {
            return new double[] {0, 1, 2};
        }
        if (n.contains("rating") || n.contains("stars")) {
            return new double[] {1, 5, 0};
        }
        if (n.contains("score")) {
            return new double[] {0, 100, 0};
        }
        if (n.contains("count")
                || n.contains("quantity")
                || n.contains("qty")
                || n.equals("num")
                || n.contains("limit")
                || n.equals("page")
                || n.contains("size")
                || n.startsWith("max")
                || n.startsWith("min")
                || n.contains("number")) {
            return new double[] {1, 20, 0};
        }
        return null;
    }

    /**
     * A natural string with a length in code points within [minLen, maxLen] (maxLen < 0: unbounded): the hinted value
     * or a short phrase, padded with words or cut to fit.
     */
    static String text(RandomGenerator rng, String hint, int minLen, int maxLen) {
        String s = hint == null ? null : hinted(hint, rng);
        if (s == null) {
            s = phrase(rng);
        }
        if (s.length() >= minLen && (maxLen < 0 || s.length() <= maxLen)) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < minLen) {
            sb.append(' ').append(pick(WORDS, rng));
        }
        if (maxLen >= 0 && sb.length() > maxLen) {
            int cut = maxLen;
            // prefer a word boundary when it still respects minLen
            int space = sb.lastIndexOf(" ", cut);
            if (space >= minLen && space > 0) {
                cut = space;
            }
            sb.setLength(cut);
        }
        return sb.toString();
    }
}
