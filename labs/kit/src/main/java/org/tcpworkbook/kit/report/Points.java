package org.tcpworkbook.kit.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each task of a lab is worth: the one place a lab sets it is its
 * {@code src/test/resources/points.properties}, one {@code task-N = points} a line (whole points, 0
 * or more). A task the file does not name, and every task of a lab without the file, is worth 1.
 *
 * <p>A task earns its points only when every one of its checks passes (the report's "done"): the
 * Gradescope results and the instructor's gradebook both count it so.
 *
 * <p>Read from the class path of the checker (the lab's test resources), so the student's run, the
 * graders' results and the gradebook (which loads this class from the pristine kit) read the same file.
 */
public final class Points {

    /** The resource, at the root of the lab's test class path. */
    public static final String RESOURCE = "points.properties";
    /** What a task is worth when the file does not say. */
    public static final int DEFAULT = 1;

    private static final Pattern KEY = Pattern.compile("task-(\\d{1,6})");

    private Points() {
    }

    /** The points of task {@code task}, as {@code loader}'s {@value #RESOURCE} sets them. */
    public static int of(ClassLoader loader, int task) {
        return read(loader).getOrDefault(task, DEFAULT);
    }

    /** Task number to points, as the file sets them; empty when the loader finds no file. */
    public static Map<Integer, Integer> read(ClassLoader loader) {
        URL url = loader == null ? null : loader.getResource(RESOURCE);
        if (url == null) {
            return Map.of();
        }
        Properties file = new Properties();
        try (InputStream in = url.openStream()) {
            file.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        }
        Map<Integer, Integer> points = new TreeMap<>();
        for (String key : file.stringPropertyNames()) {
            Matcher m = KEY.matcher(key.strip());
            String value = file.getProperty(key).strip();
            if (!m.matches() || !value.matches("\\d{1,6}")) {
                throw new IllegalArgumentException(url + ": \"" + key + " = " + value
                        + "\" is not \"task-N = points\" (whole points, 0 or more)");
            }
            points.put(Integer.parseInt(m.group(1)), Integer.parseInt(value));
        }
        return Collections.unmodifiableMap(points);
    }
}
