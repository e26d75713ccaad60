package dev.f2p.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every Java block in the README is code this module compiles, so none can rot. */
class ReadmeCodeTest {
  @Test
  void everyJavaBlockInTheReadmeIsCompiledCode() {
    List<String> compiled = Readme.compiledCode();
    List<String> blocks = Readme.blocks("java");
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(6);
    for (String block : blocks) {
      assertThat(compiled).as("README block starting %s is not compiled code: make it a region of "
          + "f2p-examples/src/test/java/dev/f2p/examples/readme/ReadmeExamples.java (// README: name ... "
          + "// END README) or a whole source file", block.lines().findFirst().orElse("")).contains(block);
    }
  }
}
