package org.klaviyosync.warehouse;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Phrases a model's failure for the user: PostgreSQL's message with the line and column of the
 * error in the model as written, and a plain refusal of models that try to write.
 */
public final class ModelErrors {

    /** SQLSTATE {@code read_only_sql_transaction}. */
    public static final String READ_ONLY_STATE = "25006";

    private static final Set<String> WRITING_COMMANDS = Set.of("insert", "update", "delete", "merge", "create",
            "drop", "alter", "truncate", "grant", "revoke", "copy", "call", "do", "vacuum", "analyze", "cluster",
            "reindex", "refresh", "lock", "comment", "security", "set", "reset", "begin", "commit", "rollback",
            "prepare", "execute", "listen", "notify", "discard", "import", "load");

    private ModelErrors() {
    }

    /**
     * The command a model starts with when it is not a query ({@code DELETE}, {@code CREATE}, ...),
     * upper case; null for {@code SELECT}, {@code WITH}, {@code VALUES}, {@code TABLE} and anything
     * else the warehouse will judge.
     */
    public static String writingCommand(String sql) {
        String s = stripLeadingComments(sql == null ? "" : sql);
        int end = 0;
        while (end < s.length() && Character.isLetter(s.charAt(end))) {
            end++;
        }
        String word = s.substring(0, end).toLowerCase(Locale.ROOT);
        return WRITING_COMMANDS.contains(word) ? word.toUpperCase(Locale.ROOT) : null;
    }

    /** Why a model that starts with {@code command} is refused. */
    public static String refusal(String command) {
        return "the model is a " + command + " statement, but models run read-only: write a query that returns"
                + " rows (SELECT, WITH ... SELECT, VALUES or TABLE); nothing was changed";
    }

    /**
     * The warehouse's message for a failure of {@code modelSql}, with the error's line and column in
     * the model when PostgreSQL gives a position. {@code offset} is the number of characters put
     * in front of the model in the statement that ran (0 when it ran as written).
     */
    public static String describe(String modelSql, SQLException e, int offset) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int position = 0;
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage server = p.getServerErrorMessage();
            message = server.getMessage() == null ? message : server.getMessage();
            position = server.getPosition();
            if (server.getHint() != null) {
                message = message + " (hint: " + server.getHint() + ")";
            }
        }
        message = message.replace('\n', ' ').strip();
        if (READ_ONLY_STATE.equals(e.getSQLState())) {
            message = message + "; models run in read-only transactions and cannot change data, nothing was changed";
        } else if (message.contains("data-modifying statement")) {
            message = message + "; models run read-only and cannot change data, nothing was changed";
        }
        int at = position - offset;
        if (modelSql != null && position > 0 && at > 0 && at <= modelSql.length() + 1) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < at - 1 && i < modelSql.length(); i++) {
                if (modelSql.charAt(i) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            String near = modelSql.substring(Math.min(at - 1, modelSql.length()));
            int nl = near.indexOf('\n');
            near = (nl < 0 ? near : near.substring(0, nl));
            near = near.length() > 40 ? near.substring(0, 40) + "..." : near;
            message = message + " (at line " + line + ", column " + column + " of the model, position " + at
                    + (near.isBlank() ? "" : ", near '" + near.strip() + "'") + ")";
        }
        return message;
    }

    private static String stripLeadingComments(String sql) {
        String s = sql.stripLeading();
        while (true) {
            if (s.startsWith("--")) {
                int nl = s.indexOf('\n');
                s = nl < 0 ? "" : s.substring(nl + 1).stripLeading();
            } else if (s.startsWith("/*")) {
                int close = s.indexOf("*/");
                s = close < 0 ? "" : s.substring(close + 2).stripLeading();
            } else if (s.startsWith("(")) {
                s = s.substring(1).stripLeading();
            } else {
                return s;
            }
        }
    }
}
