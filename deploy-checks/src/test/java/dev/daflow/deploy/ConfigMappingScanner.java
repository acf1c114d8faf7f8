package dev.daflow.deploy;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NormalAnnotationExpr;
import com.github.javaparser.ast.expr.SingleMemberAnnotationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.Type;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads SmallRye {@code @ConfigMapping} interfaces from Java sources with JavaParser: the property
 * names a service declares (groups followed into nested and shared interfaces, {@code @WithName}
 * honoured, method names in kebab case as SmallRye names them), their {@code @WithDefault}
 * values, and the variables the code reads with {@code System.getenv("...")}.
 */
final class ConfigMappingScanner {

  /** What the scanned sources declare. */
  record Result(Map<String, Optional<String>> properties, Set<String> getenv) {}

  private final Map<String, ClassOrInterfaceDeclaration> interfaces = new HashMap<>();
  private final List<ClassOrInterfaceDeclaration> mappings = new ArrayList<>();
  private final Set<String> getenv = new TreeSet<>();
  private final JavaParser parser = new JavaParser(
      new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17));

  /**
   * Scans sources.
   *
   * @param mappingRoots source folders whose {@code @ConfigMapping} roots count (the service's)
   * @param groupRoots further source folders whose interfaces may be groups of those roots, and
   *     whose getenv calls count (shared modules such as platform/)
   */
  static Result scan(List<Path> mappingRoots, List<Path> groupRoots) {
    ConfigMappingScanner scanner = new ConfigMappingScanner();
    mappingRoots.forEach(root -> scanner.parseAll(root, true));
    groupRoots.forEach(root -> scanner.parseAll(root, false));
    Map<String, Optional<String>> properties = new LinkedHashMap<>();
    for (ClassOrInterfaceDeclaration mapping : scanner.mappings) {
      String prefix = prefixOf(mapping);
      scanner.collect(mapping, prefix, properties, new TreeSet<>());
    }
    return new Result(properties, scanner.getenv);
  }

  private void parseAll(Path root, boolean mappingsCount) {
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException("no source folder " + root);
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        ParseResult<CompilationUnit> result = parser.parse(file);
        CompilationUnit unit = result.getResult().filter(u -> result.isSuccessful())
            .orElseThrow(() -> new IllegalStateException(
                "JavaParser cannot parse " + file + ": " + result.getProblems()));
        for (ClassOrInterfaceDeclaration type
            : unit.findAll(ClassOrInterfaceDeclaration.class)) {
          if (!type.isInterface()) {
            continue;
          }
          interfaces.putIfAbsent(type.getNameAsString(), type);
          if (mappingsCount && type.getAnnotationByName("ConfigMapping").isPresent()) {
            mappings.add(type);
          }
        }
        for (MethodCallExpr call : unit.findAll(MethodCallExpr.class)) {
          if (call.getNameAsString().equals("getenv") && call.getArguments().size() == 1
              && call.getArgument(0) instanceof StringLiteralExpr literal) {
            getenv.add(literal.getValue());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void collect(ClassOrInterfaceDeclaration type, String prefix,
      Map<String, Optional<String>> out, Set<String> seen) {
    if (!seen.add(prefix + "#" + type.getNameAsString())) {
      return;
    }
    for (ClassOrInterfaceType parent : type.getExtendedTypes()) {
      ClassOrInterfaceDeclaration declared = interfaces.get(parent.getNameAsString());
      if (declared != null) {
        collect(declared, prefix, out, seen);
      }
    }
    for (MethodDeclaration method : type.getMethods()) {
      if (method.isDefault() || method.isStatic() || method.getBody().isPresent()
          || !method.getParameters().isEmpty()) {
        continue;
      }
      String property = prefix + "." + nameOf(method);
      ClassOrInterfaceDeclaration group = groupOf(method.getType());
      if (group != null) {
        collect(group, property, out, seen);
      } else {
        out.put(property, annotationValue(method.getAnnotationByName("WithDefault")));
      }
    }
  }

  /** The interface a method returns (directly or in an Optional), when it is a known group. */
  private ClassOrInterfaceDeclaration groupOf(Type type) {
    if (!(type instanceof ClassOrInterfaceType named)) {
      return null;
    }
    if (named.getNameAsString().equals("Optional")) {
      Optional<Type> argument = named.getTypeArguments().filter(a -> a.size() == 1)
          .map(a -> a.get(0));
      return argument.map(this::groupOf).orElse(null);
    }
    return interfaces.get(named.getNameAsString());
  }

  private static String prefixOf(ClassOrInterfaceDeclaration mapping) {
    AnnotationExpr annotation = mapping.getAnnotationByName("ConfigMapping").orElseThrow();
    if (annotation instanceof NormalAnnotationExpr normal) {
      return normal.getPairs().stream().filter(p -> p.getNameAsString().equals("prefix"))
          .findFirst().map(p -> literal(p.getValue()))
          .orElseThrow(() -> new IllegalStateException(
              mapping.getNameAsString() + ": @ConfigMapping without prefix"));
    }
    throw new IllegalStateException(mapping.getNameAsString() + ": @ConfigMapping without prefix");
  }

  private static String nameOf(MethodDeclaration method) {
    return annotationValue(method.getAnnotationByName("WithName"))
        .orElseGet(() -> kebab(method.getNameAsString()));
  }

  private static Optional<String> annotationValue(Optional<AnnotationExpr> annotation) {
    return annotation.map(a -> {
      if (a instanceof SingleMemberAnnotationExpr single) {
        return literal(single.getMemberValue());
      }
      if (a instanceof NormalAnnotationExpr normal) {
        return normal.getPairs().stream().filter(p -> p.getNameAsString().equals("value"))
            .findFirst().map(p -> literal(p.getValue())).orElse("");
      }
      return "";
    });
  }

  private static String literal(Expression value) {
    if (value instanceof StringLiteralExpr s) {
      return s.getValue();
    }
    // A constant (StorageConfig.DEFAULT_REGION): its name, good enough to know a default exists.
    return value.toString();
  }

  /** SmallRye's default naming: {@code maxUploadBytes} is {@code max-upload-bytes}. */
  static String kebab(String camel) {
    StringBuilder sb = new StringBuilder();
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        sb.append('-').append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
