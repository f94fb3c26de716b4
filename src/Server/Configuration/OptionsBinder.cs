using System.Reflection;

namespace RoutingFlow.Server.Configuration;

/// <summary>
/// Binds option classes property by property, so that a value that does not convert ("banana" for a TimeSpan)
/// becomes one error naming its key while every other key still binds and is still validated.
/// </summary>
public static class OptionsBinder
{
    public static void Bind(IConfigurationSection section, object target, List<string> errors)
    {
        foreach (var property in target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var child = section.GetSection(property.Name);
            if (!child.Exists())
                continue;
            if (IsOptionsClass(property.PropertyType))
            {
                Bind(child, property.GetValue(target) ?? Activator.CreateInstance(property.PropertyType)!, errors);
                continue;
            }
            try
            {
                if (child.Get(property.PropertyType) is { } value)
                    property.SetValue(target, value);
            }
            catch (InvalidOperationException e)
            {
                errors.Add($"{child.Path}: {Describe(child, property.PropertyType, e)}");
            }
        }
    }

    private static bool IsOptionsClass(Type type) =>
        type.IsClass && type.Name.EndsWith("Options", StringComparison.Ordinal) && type.Namespace?.StartsWith("RoutingFlow.", StringComparison.Ordinal) == true;

    private static string Describe(IConfigurationSection child, Type type, InvalidOperationException e)
    {
        var expected = type == typeof(TimeSpan) ? "a duration such as 00:00:05"
            : type == typeof(int) ? "a whole number"
            : type == typeof(bool) ? "true or false"
            : type.Name;
        return child.Value is { } value
            ? $"'{value}' is not {expected}"
            : e.InnerException?.Message ?? e.Message;
    }
}
