public enum FabricSynthPlaceholder {}
