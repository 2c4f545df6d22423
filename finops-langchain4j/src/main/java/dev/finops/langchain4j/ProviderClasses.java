package dev.finops.langchain4j;

/**
 * Which optional LangChain4j provider modules are on the classpath. The classes that name their types
 * ({@link OpenAiSupport}, {@link AnthropicSupport}) are loaded only when the module is present, so
 * finops-langchain4j runs with langchain4j-core alone.
 */
final class ProviderClasses {
  static final boolean OPENAI = present("dev.langchain4j.model.openai.OpenAiTokenUsage")
      && present("dev.langchain4j.model.openai.OpenAiChatRequestParameters");
  static final boolean ANTHROPIC = present("dev.langchain4j.model.anthropic.AnthropicTokenUsage");

  private ProviderClasses() {}

  private static boolean present(String className) {
    try {
      Class.forName(className, false, ProviderClasses.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError absent) {
      return false;
    }
  }
}
