using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace Quamba.Generators.Ptx
{
    /// <summary>
    /// Re-reads the emitted PTX text, independently of the IR that produced it, and checks that every register
    /// is declared, every branch target is a defined label, and each register operand's type fits the
    /// instruction's type. A failure means a compiler bug: the kernel gets an internal-error diagnostic instead
    /// of PTX the driver would reject at run time.
    /// </summary>
    internal static class PtxSelfCheck
    {
        private static readonly Regex Declaration = new(@"^\s*\.reg\s+\.(\w+)\s+([^;]+);", RegexOptions.CultureInvariant);
        private static readonly Regex Parameterized = new(@"^(%[A-Za-z_][A-Za-z0-9_]*)<(\d+)>$", RegexOptions.CultureInvariant);
        private static readonly Regex Named = new(@"^%[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);
        private static readonly Regex Register = new(@"%([a-z]+)(\d+)\b", RegexOptions.CultureInvariant);
        private static readonly Regex LabelDefinition = new(@"^(\$[A-Za-z0-9_]+):\s*$", RegexOptions.CultureInvariant);
        private static readonly HashSet<string> SpecialRegisters = new()
        {
            "%laneid", "%warpid", "%nwarpid", "%smid", "%nsmid", "%gridid", "%clock", "%clock64", "%dynamic_smem_size",
            "%total_smem_size", "%lanemask_eq", "%lanemask_le", "%lanemask_lt", "%lanemask_ge", "%lanemask_gt", "%globaltimer",
        };

        private static readonly HashSet<string> TypeSuffixes = new()
        {
            "pred", "b8", "b16", "b32", "b64", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f16", "bf16", "f32", "f64",
        };

        public static IReadOnlyList<string> Check(string ptx)
        {
            var errors = new List<string>();
            var declared = new Dictionary<string, (string Type, int Count)>();
            var labels = new HashSet<string>();
            var targets = new List<(string Label, int Line)>();
            var lines = ptx.Split('\n');

            foreach (var line in lines)
            {
                var declaration = Declaration.Match(line);
                if (declaration.Success)
                {
                    var type = declaration.Groups[1].Value;
                    foreach (var item in declaration.Groups[2].Value.Split(','))
                    {
                        var name = item.Trim();
                        var counted = Parameterized.Match(name);
                        if (counted.Success) declared[counted.Groups[1].Value] = (type, int.Parse(counted.Groups[2].Value, CultureInfo.InvariantCulture));
                        else if (Named.IsMatch(name)) declared[name] = (type, -1); // a single register, e.g. declared by inline PTX
                        else errors.Add("malformed register declaration: " + line.Trim());
                    }
                }
                var label = LabelDefinition.Match(line.Trim());
                if (label.Success && !labels.Add(label.Groups[1].Value)) errors.Add("label " + label.Groups[1].Value + " defined twice");
            }
            if (!lines.Any(l => l.StartsWith(".version ", System.StringComparison.Ordinal))) errors.Add("missing .version");
            if (!lines.Any(l => l.StartsWith(".target sm_", System.StringComparison.Ordinal))) errors.Add("missing .target");

            int depth = 0;
            for (int n = 0; n < lines.Length; n++)
            {
                var line = StripComment(lines[n]).Trim();
                if (line == "{") { depth++; continue; }
                if (line == "}") { depth--; continue; }
                if (depth == 0 || line.Length == 0 || line.StartsWith(".", System.StringComparison.Ordinal) || LabelDefinition.IsMatch(line)) continue;
                if (!line.EndsWith(";", System.StringComparison.Ordinal))
                {
                    errors.Add($"line {n + 1}: instruction not terminated by ';': {line}");
                    continue;
                }
                line = line.Substring(0, line.Length - 1).Trim();
                if (line.StartsWith("@", System.StringComparison.Ordinal))
                {
                    int space = line.IndexOf(' ');
                    var guard = line.Substring(1, space - 1).TrimStart('!');
                    CheckRegister(guard, "pred", false, declared, errors, n);
                    line = line.Substring(space + 1).Trim();
                }
                int split = line.IndexOfAny(new[] { ' ', '\t' });
                var mnemonic = split < 0 ? line : line.Substring(0, split);
                var operands = split < 0 ? new List<string>() : SplitOperands(line.Substring(split + 1));
                if (mnemonic == "bra")
                {
                    if (operands.Count == 1) targets.Add((operands[0], n));
                    else errors.Add($"line {n + 1}: malformed branch");
                    continue;
                }
                CheckInstruction(mnemonic, operands, declared, errors, n);
            }
            foreach (var (label, line) in targets)
            {
                if (!labels.Contains(label)) errors.Add($"line {line + 1}: branch to undefined label {label}");
            }
            return errors;
        }

        private static string StripComment(string line)
        {
            int comment = line.IndexOf("//", System.StringComparison.Ordinal);
            return comment < 0 ? line : line.Substring(0, comment);
        }

        private static List<string> SplitOperands(string text)
        {
            var result = new List<string>();
            int depth = 0, start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c is '{' or '[') depth++;
                else if (c is '}' or ']') depth--;
                else if (c == ',' && depth == 0)
                {
                    result.Add(text.Substring(start, i - start).Trim());
                    start = i + 1;
                }
            }
            var last = text.Substring(start).Trim();
            if (last.Length > 0) result.Add(last);
            return result;
        }

        /// <summary>The expected type of each operand position for the instruction families the compiler emits.</summary>
        private static void CheckInstruction(string mnemonic, List<string> operands, Dictionary<string, (string Type, int Count)> declared, List<string> errors, int line)
        {
            var parts = mnemonic.Split('.');
            var types = parts.Where(TypeSuffixes.Contains).ToList();
            string family = parts[0];
            string last = types.Count > 0 ? types[types.Count - 1] : "";
            void Expect(int index, string type, bool mayBeWider = false)
            {
                if (index < operands.Count) CheckOperand(operands[index], type, mayBeWider, declared, errors, line);
                else errors.Add($"line {line + 1}: {mnemonic} is missing operand {index + 1}");
            }

            switch (family)
            {
                case "ld":
                    Expect(0, last, mayBeWider: true);
                    Expect(1, "b64");
                    return;
                case "st":
                    Expect(0, "b64");
                    Expect(1, last, mayBeWider: true);
                    return;
                case "cvt":
                case "cvta":
                    if (family == "cvta")
                    {
                        Expect(0, "b64");
                        Expect(1, "b64");
                        return;
                    }
                    Expect(0, types[0], mayBeWider: true);
                    Expect(1, types.Count > 1 ? types[1] : types[0], mayBeWider: true);
                    return;
                case "setp":
                    Expect(0, "pred");
                    Expect(1, last);
                    Expect(2, last);
                    return;
                case "selp":
                    Expect(0, last);
                    Expect(1, last);
                    Expect(2, last);
                    Expect(3, "pred");
                    return;
                case "mul" when parts.Contains("wide"):
                    Expect(0, Wider(last));
                    Expect(1, last);
                    Expect(2, last);
                    return;
                case "shl":
                case "shr":
                    Expect(0, last);
                    Expect(1, last);
                    Expect(2, "u32");
                    return;
                case "popc":
                case "clz":
                    Expect(0, "u32");
                    Expect(1, last);
                    return;
                case "shfl":
                    Expect(0, "b32");
                    Expect(1, "b32");
                    Expect(2, "u32");
                    Expect(3, "u32");
                    return;
                case "vote":
                    Expect(0, last);
                    Expect(1, "pred");
                    return;
                case "atom":
                    Expect(0, last);
                    Expect(1, "b64");
                    for (int i = 2; i < operands.Count; i++) Expect(i, last);
                    return;
                case "dp4a":
                    for (int i = 0; i < 4; i++) Expect(i, "b32");
                    return;
                case "mov" when operands.Any(o => o.StartsWith("{", System.StringComparison.Ordinal)):
                    // Pack/unpack: mov.b32 {%h0, %h1}, %r0 splits the type's bits over the vector's elements.
                    foreach (var (operand, index) in operands.Select((o, k) => (o, k)))
                    {
                        if (!operand.StartsWith("{", System.StringComparison.Ordinal))
                        {
                            Expect(index, last);
                            continue;
                        }
                        int count = SplitOperands(operand.Trim('{', '}')).Count;
                        CheckOperand(operand, "b" + (Size(last) / System.Math.Max(1, count)).ToString(CultureInfo.InvariantCulture), false, declared, errors, line);
                    }
                    return;
                case "mov":
                    Expect(0, last);
                    if (operands.Count > 1 && (!operands[1].StartsWith("%", System.StringComparison.Ordinal) || operands[1].Contains(".") || SpecialRegisters.Contains(operands[1]))) return;
                    Expect(1, last);
                    return;
                case "bar":
                case "ret":
                    return;
                default:
                    if (last.Length == 0) return; // inline PTX of a form the checker does not model: registers were checked below
                    for (int i = 0; i < operands.Count; i++) Expect(i, last);
                    return;
            }
        }

        private static string Wider(string type) => type switch
        {
            "s32" => "s64",
            "u32" => "u64",
            "s16" => "s32",
            "u16" => "u32",
            _ => type,
        };

        private static void CheckOperand(string operand, string type, bool mayBeWider, Dictionary<string, (string Type, int Count)> declared, List<string> errors, int line)
        {
            operand = operand.Trim();
            if (operand.StartsWith("{", System.StringComparison.Ordinal))
            {
                foreach (var element in SplitOperands(operand.Trim('{', '}'))) CheckOperand(element, type, mayBeWider, declared, errors, line);
                return;
            }
            if (operand.StartsWith("[", System.StringComparison.Ordinal))
            {
                var inner = operand.Trim('[', ']');
                int plus = inner.IndexOf('+');
                var baseName = plus < 0 ? inner : inner.Substring(0, plus);
                if (baseName.StartsWith("%", System.StringComparison.Ordinal)) CheckRegister(baseName, "b64", false, declared, errors, line);
                return;
            }
            if (!operand.StartsWith("%", System.StringComparison.Ordinal)) return; // immediate or symbol
            CheckRegister(operand, type, mayBeWider, declared, errors, line);
        }

        private static void CheckRegister(string register, string type, bool mayBeWider, Dictionary<string, (string Type, int Count)> declared, List<string> errors, int line)
        {
            if (declared.TryGetValue(register, out var single) && single.Count < 0)
            {
                if (!Compatible(single.Type, type, mayBeWider)) errors.Add($"line {line + 1}: register {register} (.{single.Type}) used as .{type}");
                return;
            }
            var match = Register.Match(register);
            if (!match.Success || match.Value != register)
            {
                if (register.Contains(".") || SpecialRegisters.Contains(register)) return; // special register such as %tid.x
                errors.Add($"line {line + 1}: malformed register {register}");
                return;
            }
            var prefix = "%" + match.Groups[1].Value;
            int index = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            if (!declared.TryGetValue(prefix, out var declaration))
            {
                errors.Add($"line {line + 1}: register {register} has no .reg declaration");
                return;
            }
            if (index >= declaration.Count)
            {
                errors.Add($"line {line + 1}: register {register} is beyond its declaration {prefix}<{declaration.Count}>");
                return;
            }
            if (!Compatible(declaration.Type, type, mayBeWider))
            {
                errors.Add($"line {line + 1}: register {register} (.{declaration.Type}) used as .{type}");
            }
        }

        /// <summary>PTX operand typing: same type, or a bit type of the same size; ld/st/cvt may use wider integer registers.</summary>
        private static bool Compatible(string registerType, string instructionType, bool mayBeWider)
        {
            if (registerType == instructionType) return true;
            if (registerType == "pred" || instructionType == "pred") return false;
            int registerSize = Size(registerType), instructionSize = Size(instructionType);
            bool registerIsBits = registerType[0] == 'b';
            bool instructionIsBits = instructionType[0] == 'b' && instructionType != "bf16";
            if (registerSize == instructionSize) return registerIsBits || instructionIsBits;
            return mayBeWider && registerIsBits && registerSize > instructionSize && instructionType[0] != 'f';
        }

        private static int Size(string type)
        {
            var digits = new string(type.Where(char.IsDigit).ToArray());
            return digits.Length == 0 ? 0 : int.Parse(digits, CultureInfo.InvariantCulture);
        }
    }
}
