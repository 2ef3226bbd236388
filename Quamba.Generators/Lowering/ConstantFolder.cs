using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

using Quamba.Generators.Common;

namespace Quamba.Generators.Lowering
{
    /// <summary>
    /// Compile-time arithmetic on boxed constants with C# semantics (wrap-around, masked shift counts,
    /// truncating division), used to fold expressions over [Specialize] shape constants.
    /// </summary>
    internal static class ConstantFolder
    {
        public static object? Convert(object value, SpecialType to)
        {
            try
            {
                switch (value)
                {
                    case bool b:
                        return to == SpecialType.System_Boolean ? b : null;
                    case string s:
                        return to == SpecialType.System_String ? s : null;
                    case float or double:
                        {
                            double d = System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                            return to switch
                            {
                                SpecialType.System_Single => (float)d,
                                SpecialType.System_Double => d,
                                _ => IsInteger(to) ? FromLong(to, unchecked((long)d)) : null,
                            };
                        }
                    default:
                        {
                            if (value is char c) value = (int)c;
                            bool unsigned = value is ulong;
                            long l = unsigned ? unchecked((long)(ulong)value) : System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                            return to switch
                            {
                                SpecialType.System_Single => unsigned ? (float)(ulong)l : (float)l,
                                SpecialType.System_Double => unsigned ? (double)(ulong)l : (double)l,
                                _ => IsInteger(to) ? FromLong(to, l) : null,
                            };
                        }
                }
            }
            catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
            {
                return null;
            }
        }

        public static bool IsInteger(SpecialType type) => type is SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16
            or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64
            or SpecialType.System_UInt64 or SpecialType.System_Char;

        public static object? FromLong(SpecialType type, long v) => unchecked(type switch
        {
            SpecialType.System_SByte => (sbyte)v,
            SpecialType.System_Byte => (byte)v,
            SpecialType.System_Int16 => (short)v,
            SpecialType.System_UInt16 => (ushort)v,
            SpecialType.System_Char => (char)v,
            SpecialType.System_Int32 => (int)v,
            SpecialType.System_UInt32 => (uint)v,
            SpecialType.System_Int64 => v,
            SpecialType.System_UInt64 => (ulong)v,
            _ => (object?)null,
        });

        public static long ToLong(object v) => v switch
        {
            ulong u => unchecked((long)u),
            char c => c,
            bool b => b ? 1 : 0,
            _ => System.Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture),
        };

        public static object? Binary(BinaryOperatorKind kind, object left, object right, SpecialType operandType, SpecialType resultType)
        {
            if (left is bool lb && right is bool rb)
            {
                return kind switch
                {
                    BinaryOperatorKind.And or BinaryOperatorKind.ConditionalAnd => lb && rb,
                    BinaryOperatorKind.Or or BinaryOperatorKind.ConditionalOr => lb || rb,
                    BinaryOperatorKind.ExclusiveOr => lb ^ rb,
                    BinaryOperatorKind.Equals => lb == rb,
                    BinaryOperatorKind.NotEquals => lb != rb,
                    _ => null,
                };
            }
            if (operandType is SpecialType.System_Single or SpecialType.System_Double)
            {
                double a = System.Convert.ToDouble(left, System.Globalization.CultureInfo.InvariantCulture);
                double b = System.Convert.ToDouble(right, System.Globalization.CultureInfo.InvariantCulture);
                bool single = operandType == SpecialType.System_Single;
                double? r = kind switch
                {
                    BinaryOperatorKind.Add => single ? (float)a + (float)b : a + b,
                    BinaryOperatorKind.Subtract => single ? (float)a - (float)b : a - b,
                    BinaryOperatorKind.Multiply => single ? (float)a * (float)b : a * b,
                    BinaryOperatorKind.Divide => single ? (float)a / (float)b : a / b,
                    _ => null,
                };
                if (r is { } value) return single ? (object)(float)value : value;
                return kind switch
                {
                    BinaryOperatorKind.Equals => a == b,
                    BinaryOperatorKind.NotEquals => a != b,
                    BinaryOperatorKind.LessThan => a < b,
                    BinaryOperatorKind.LessThanOrEqual => a <= b,
                    BinaryOperatorKind.GreaterThan => a > b,
                    BinaryOperatorKind.GreaterThanOrEqual => a >= b,
                    _ => null,
                };
            }
            if (!IsInteger(operandType)) return null;
            bool isUnsigned = operandType is SpecialType.System_UInt32 or SpecialType.System_UInt64;
            bool is64 = operandType is SpecialType.System_Int64 or SpecialType.System_UInt64;
            long x = ToLong(left), y = ToLong(right);
            switch (kind)
            {
                case BinaryOperatorKind.Equals: return x == y;
                case BinaryOperatorKind.NotEquals: return x != y;
                case BinaryOperatorKind.LessThan: return isUnsigned ? (ulong)x < (ulong)y : x < y;
                case BinaryOperatorKind.LessThanOrEqual: return isUnsigned ? (ulong)x <= (ulong)y : x <= y;
                case BinaryOperatorKind.GreaterThan: return isUnsigned ? (ulong)x > (ulong)y : x > y;
                case BinaryOperatorKind.GreaterThanOrEqual: return isUnsigned ? (ulong)x >= (ulong)y : x >= y;
            }
            long result;
            unchecked
            {
                switch (kind)
                {
                    case BinaryOperatorKind.Add: result = x + y; break;
                    case BinaryOperatorKind.Subtract: result = x - y; break;
                    case BinaryOperatorKind.Multiply: result = x * y; break;
                    case BinaryOperatorKind.Divide:
                        if (y == 0) return null;
                        result = isUnsigned ? (long)((ulong)x / (ulong)y) : (is64 ? x / y : (int)x / (int)y);
                        break;
                    case BinaryOperatorKind.Remainder:
                        if (y == 0) return null;
                        result = isUnsigned ? (long)((ulong)x % (ulong)y) : (is64 ? x % y : (int)x % (int)y);
                        break;
                    case BinaryOperatorKind.And: result = x & y; break;
                    case BinaryOperatorKind.Or: result = x | y; break;
                    case BinaryOperatorKind.ExclusiveOr: result = x ^ y; break;
                    case BinaryOperatorKind.LeftShift: result = x << (int)(y & (is64 ? 63 : 31)); break;
                    case BinaryOperatorKind.RightShift:
                        result = isUnsigned
                            ? (is64 ? (long)((ulong)x >> (int)(y & 63)) : (uint)x >> (int)(y & 31))
                            : (is64 ? x >> (int)(y & 63) : (int)x >> (int)(y & 31));
                        break;
                    case BinaryOperatorKind.UnsignedRightShift:
                        result = is64 ? (long)((ulong)x >> (int)(y & 63)) : (uint)x >> (int)(y & 31);
                        break;
                    default: return null;
                }
            }
            return FromLong(resultType, result);
        }

        public static object? Unary(UnaryOperatorKind kind, object operand, SpecialType type)
        {
            if (operand is bool b) return kind == UnaryOperatorKind.Not ? !b : null;
            if (operand is float f) return kind switch { UnaryOperatorKind.Minus => -f, UnaryOperatorKind.Plus => f, _ => (object?)null };
            if (operand is double d) return kind switch { UnaryOperatorKind.Minus => -d, UnaryOperatorKind.Plus => d, _ => (object?)null };
            long v = ToLong(operand);
            return kind switch
            {
                UnaryOperatorKind.Minus => FromLong(type, unchecked(-v)),
                UnaryOperatorKind.Plus => FromLong(type, v),
                UnaryOperatorKind.BitwiseNegation => FromLong(type, ~v),
                _ => null,
            };
        }

        /// <summary>
        /// Math.Min/Max/Abs on ints and BitOperations.LeadingZeroCount/TrailingZeroCount/PopCount/Log2 on uints with
        /// constant arguments (the overloads the kernels use); null for anything else.
        /// </summary>
        public static object? PureCall(string type, string name, object[] arguments)
        {
            if (type == "Math" && arguments.Length == 2 && arguments[0] is int a && arguments[1] is int b)
                return name switch { "Min" => System.Math.Min(a, b), "Max" => System.Math.Max(a, b), _ => null };
            if (type == "Math" && arguments.Length == 1 && arguments[0] is int x && name == "Abs" && x != int.MinValue)
                return System.Math.Abs(x);
            if (type == "BitOperations" && arguments.Length == 1 && arguments[0] is uint u)
                return name switch
                {
                    "LeadingZeroCount" => Bits.LeadingZeroCount(u),
                    "TrailingZeroCount" => u == 0 ? 32 : 31 - Bits.LeadingZeroCount(u & (~u + 1)),
                    "PopCount" => Bits.PopCount(u),
                    "Log2" => u == 0 ? 0 : 31 - Bits.LeadingZeroCount(u),
                    _ => null,
                };
            return null;
        }
    }
}
