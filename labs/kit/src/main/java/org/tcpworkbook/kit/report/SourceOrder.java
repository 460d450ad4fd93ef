package org.tcpworkbook.kit.report;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.MethodDescriptor;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.MethodOrdererContext;

/**
 * Runs a class's checks in the order they are written, simplest first as the checkers put them.
 * Reflection does not promise that order, so it is read from the class file, where javac (and the
 * IDEs' compilers) keep the methods in source order. A class file that cannot be read leaves JUnit's
 * order, sorted by method name so that it is at least stable. Set for every checker in the kit's
 * junit-platform.properties ({@code junit.jupiter.testmethod.order.default}).
 */
public final class SourceOrder implements MethodOrderer {

    @Override
    public void orderMethods(MethodOrdererContext context) {
        Map<String, Integer> positions = positions(context.getTestClass());
        context.getMethodDescriptors().sort(Comparator
                .comparingInt((MethodDescriptor d) -> positions.getOrDefault(key(d), Integer.MAX_VALUE))
                .thenComparing(d -> d.getMethod().getName()));
    }

    private static String key(MethodDescriptor d) {
        StringBuilder key = new StringBuilder(d.getMethod().getName()).append('(');
        Class<?>[] types = d.getMethod().getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            key.append(i == 0 ? "" : ", ").append(types[i].getTypeName());
        }
        return key.append(')').toString();
    }

    /** "name(params)" of each method of the class, in class-file order; empty if it cannot be read. */
    static Map<String, Integer> positions(Class<?> type) {
        Map<String, Integer> positions = new HashMap<>();
        String resource = type.getName().replace('.', '/') + ".class";
        ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader() : ClassLoader.getSystemClassLoader();
        try (InputStream raw = loader.getResourceAsStream(resource)) {
            if (raw == null) {
                return positions;
            }
            readMethods(new DataInputStream(raw), positions);
        } catch (IOException | RuntimeException e) {
            positions.clear(); // unreadable: JUnit's order, by name
        }
        return positions;
    }

    /** Walks the class file format (JVMS chapter 4) as far as its methods. */
    private static void readMethods(DataInputStream in, Map<String, Integer> positions) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++; // a long or double takes two entries
                }
                case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        in.skipNBytes(6); // access flags, this class, super class
        in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
        int fields = in.readUnsignedShort();
        for (int f = 0; f < fields; f++) {
            in.skipNBytes(6);
            skipAttributes(in);
        }
        int methods = in.readUnsignedShort();
        for (int m = 0; m < methods; m++) {
            in.skipNBytes(2);
            String name = utf8[in.readUnsignedShort()];
            String descriptor = utf8[in.readUnsignedShort()];
            positions.putIfAbsent(name + parameters(descriptor), m);
            skipAttributes(in);
        }
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            in.skipNBytes(2);
            in.skipNBytes(Integer.toUnsignedLong(in.readInt()));
        }
    }

    /** "(java.lang.String, int)", as {@link #key} names parameters, from "(Ljava/lang/String;I)V". */
    static String parameters(String descriptor) {
        StringBuilder out = new StringBuilder("(");
        int i = 1;
        boolean first = true;
        while (descriptor.charAt(i) != ')') {
            int dims = 0;
            while (descriptor.charAt(i) == '[') {
                dims++;
                i++;
            }
            String type;
            char c = descriptor.charAt(i);
            if (c == 'L') {
                int end = descriptor.indexOf(';', i);
                type = descriptor.substring(i + 1, end).replace('/', '.');
                i = end + 1;
            } else {
                type = switch (c) {
                    case 'Z' -> "boolean";
                    case 'B' -> "byte";
                    case 'C' -> "char";
                    case 'S' -> "short";
                    case 'I' -> "int";
                    case 'J' -> "long";
                    case 'F' -> "float";
                    case 'D' -> "double";
                    default -> throw new IllegalArgumentException("bad descriptor " + descriptor);
                };
                i++;
            }
            out.append(first ? "" : ", ").append(type).append("[]".repeat(dims));
            first = false;
        }
        return out.append(')').toString();
    }
}
