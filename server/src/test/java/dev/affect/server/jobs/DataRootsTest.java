package dev.affect.server.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.affect.server.repository.MissingFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataRootsTest {
    @TempDir
    Path tmp;
    Path root;
    Path outside;
    DataRoots roots;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("data"));
        outside = Files.createDirectories(tmp.resolve("secret"));
        Files.writeString(outside.resolve("key.pth"), "x");
        Files.createDirectories(root.resolve("abaw"));
        roots = DataRoots.of(List.of(root));
    }

    @Test
    void pathsInsideResolveToTheirRealPath() throws Exception {
        Path real = root.toRealPath().resolve("abaw");
        assertEquals(real, roots.resolve(root.resolve("abaw").toString(), "spec.data_root"));
        assertEquals(real, roots.resolve("abaw", "spec.data_root"), "relative to the first root");
        assertEquals(real, roots.resolve("abaw/../abaw", "spec.data_root"), ".. that stays inside is fine");
    }

    @Test
    void pathsOutsideAreDeniedWhateverTheRoute() throws Exception {
        PathDeniedException direct = assertThrows(PathDeniedException.class,
                () -> roots.resolve(outside.resolve("key.pth").toString(), "spec.backbone"));
        assertEquals("spec.backbone", direct.field());
        assertThrows(PathDeniedException.class, () -> roots.resolve("../secret/key.pth", "spec.backbone"));
        assertThrows(PathDeniedException.class, () -> roots.resolve(root + "/abaw/../../secret/key.pth", "spec.backbone"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        PathDeniedException viaLink = assertThrows(PathDeniedException.class,
                () -> roots.resolve("link/key.pth", "spec.backbone"));
        assertTrue(viaLink.getMessage().contains("link"), viaLink.getMessage());
    }

    @Test
    void aMissingPathOutsideIsDeniedWithoutSayingWhetherItExists() {
        assertThrows(PathDeniedException.class, () -> roots.resolve(outside.resolve("nothing").toString(), "x"));
        assertThrows(MissingFileException.class, () -> roots.resolve("nothing", "x"));
    }
}
